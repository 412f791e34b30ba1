namespace InProc.Samples.WebApp;

/// <summary>The message of <see cref="SendWelcomeEmailJob"/>: an id, not the user, so it stays small and immutable.</summary>
/// <param name="UserId">The user to welcome.</param>
public sealed record SendWelcomeEmail(int UserId);

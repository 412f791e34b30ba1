namespace InProc.Samples.WebApp;

/// <summary>One welcome email that was sent.</summary>
/// <param name="UserId">The user it was sent to.</param>
/// <param name="Email">The address it was sent to.</param>
/// <param name="JobId">The job that sent it.</param>
public sealed record SentEmail(int UserId, string Email, JobId JobId);

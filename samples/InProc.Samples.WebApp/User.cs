namespace InProc.Samples.WebApp;

/// <summary>A signed-up user.</summary>
/// <param name="Id">The id <see cref="UserStore"/> assigned.</param>
/// <param name="Email">The user's email address.</param>
/// <param name="Name">The user's name.</param>
public sealed record User(int Id, string Email, string Name);

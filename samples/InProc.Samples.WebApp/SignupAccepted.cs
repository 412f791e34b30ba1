namespace InProc.Samples.WebApp;

/// <summary>The body of a <c>202 Accepted</c> answer to <c>POST /signup</c>.</summary>
/// <param name="JobId">The welcome email's job; poll <c>GET /jobs/{jobId}</c> for its state.</param>
public sealed record SignupAccepted(JobId JobId);

namespace InProc.Samples.WebApp;

/// <summary>The sample's log messages, generated at compile time.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "WelcomeEmailSent", Level = LogLevel.Information, Message = "Sent welcome email to {Email}")]
    public static partial void WelcomeEmailSent(ILogger logger, string email);

    [LoggerMessage(EventId = 2, EventName = "UserNotFound", Level = LogLevel.Warning, Message = "User {UserId} no longer exists; job {JobId} sends no welcome email")]
    public static partial void UserNotFound(ILogger logger, int userId, JobId jobId);
}

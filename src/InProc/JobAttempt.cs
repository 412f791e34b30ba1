namespace InProc;

/// <summary>One failed attempt of a job, as <see cref="IJobMonitor.GetJobDetail(JobId)"/> reports it.</summary>
public sealed class JobAttempt
{
    internal JobAttempt(int attempt, DateTimeOffset? startedAt, DateTimeOffset endedAt, string errorType, string error)
    {
        Attempt = attempt;
        StartedAt = startedAt;
        EndedAt = endedAt;
        ErrorType = errorType;
        Error = error;
    }

    /// <summary>Gets the attempt's number.</summary>
    /// <value>1 for the first attempt.</value>
    public int Attempt { get; }

    /// <summary>Gets when the attempt started.</summary>
    /// <value>The start time in UTC, or <see langword="null"/> when unknown.</value>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>Gets when the attempt failed.</summary>
    /// <value>The time in UTC.</value>
    public DateTimeOffset EndedAt { get; }

    /// <summary>Gets the full type name of the exception that failed the attempt.</summary>
    /// <value>For example <c>System.IO.IOException</c>.</value>
    public string ErrorType { get; }

    /// <summary>Gets the exception's message.</summary>
    /// <value>The message as thrown.</value>
    public string Error { get; }
}

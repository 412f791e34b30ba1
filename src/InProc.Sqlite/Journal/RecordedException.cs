namespace InProc.Sqlite.Journal;

/// <summary>An attempt's failure read back from the journal: the exception object is gone, its type, message and stack trace are kept.</summary>
internal sealed class RecordedException(string errorType, string message, string? stackTrace) : Exception($"{errorType}: {message}")
{
    public string ErrorType { get; } = errorType;

    public override string? StackTrace { get; } = stackTrace;
}

using Microsoft.Extensions.Logging;

namespace InProc.Tests.Support;

/// <summary>One log call seen by <see cref="CapturingLoggerProvider"/>: the formatted message and the structured state.</summary>
internal sealed record LogEntry(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    Exception? Exception,
    IReadOnlyDictionary<string, object?> State);

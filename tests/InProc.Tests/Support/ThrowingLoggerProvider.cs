using Microsoft.Extensions.Logging;

namespace InProc.Tests.Support;

/// <summary>
/// A broken logging provider: its loggers say every level is enabled and throw from <c>Log</c>. Only for categories
/// that start with <c>"InProc"</c> — the host's own loggers would fail too, and that is not InProc's to guard.
/// </summary>
internal sealed class ThrowingLoggerProvider : ILoggerProvider
{
    private int _throws;

    /// <summary>How many log calls threw so far: proves the provider was in the path.</summary>
    public int Throws => Volatile.Read(ref _throws);

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("InProc", StringComparison.Ordinal)
            ? new ThrowingLogger(this)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class ThrowingLogger(ThrowingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref provider._throws);
            throw new InvalidOperationException($"logger bug ({eventId.Name})");
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Support;

/// <summary>
/// Records every log call of the categories it was asked for (all when none), and lets a test wait for an entry
/// without polling: a waiter registered with <see cref="WaitForAsync"/> completes on the log call that matches.
/// </summary>
internal sealed class CapturingLoggerProvider(string? categoryPrefix = null) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) =>
        categoryPrefix is null || categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal)
            ? new CapturingLogger(this, categoryName)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Completes with the first entry, already written or still to come, that matches; bounded by <see cref="TestHost.Patience"/>.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var seen = _entries.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(TestHost.Patience);
    }

    public void Dispose()
    {
    }

    private void Write(LogEntry entry)
    {
        List<TaskCompletionSource<LogEntry>> matched = [];
        lock (_lock)
        {
            _entries.Enqueue(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    matched.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var done in matched)
        {
            done.TrySetResult(entry);
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            provider.Write(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, values));
        }
    }
}

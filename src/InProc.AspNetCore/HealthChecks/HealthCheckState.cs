namespace InProc.AspNetCore.HealthChecks;

/// <summary>What one registration remembers between checks: when each queue was first seen saturated, and the dead letters' count.</summary>
internal sealed class HealthCheckState
{
    private readonly object _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _saturatedSince = new(StringComparer.Ordinal);
    private int _deadLetters;
    private DateTimeOffset? _recurringActiveSince;

    /// <summary>Records whether <paramref name="queue"/> is saturated now; returns since when it has been, on every check in a row.</summary>
    public DateTimeOffset? Saturated(string queue, bool saturated, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!saturated)
            {
                _saturatedSince.Remove(queue);
                return null;
            }

            if (!_saturatedSince.TryGetValue(queue, out var since))
            {
                _saturatedSince[queue] = since = now;
            }

            return since;
        }
    }

    /// <summary>
    /// Records whether a recurring schedule is running (not paused) now; returns since when this registration has seen
    /// one on every check in a row. Before that the timer had nothing to fire for, so its heartbeat could not be fresh.
    /// </summary>
    public DateTimeOffset? RecurringActive(bool active, DateTimeOffset now)
    {
        lock (_lock)
        {
            _recurringActiveSince = active ? _recurringActiveSince ?? now : null;
            return _recurringActiveSince;
        }
    }

    /// <summary>Stores the dead letters' count; returns the previous one.</summary>
    public int ExchangeDeadLetters(int count)
    {
        lock (_lock)
        {
            var previous = _deadLetters;
            _deadLetters = count;
            return previous;
        }
    }
}

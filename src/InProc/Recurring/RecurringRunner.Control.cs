using InProc.Diagnostics;
using InProc.Lifecycle;

namespace InProc.Recurring;

internal sealed partial class RecurringRunner
{
    public IReadOnlyList<RecurringJobSnapshot> GetSnapshots()
    {
        var now = _time.GetUtcNow();
        var snapshots = new RecurringJobSnapshot[_entries.Length];
        for (var i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[i];
            lock (entry)
            {
                var last = entry.LastJobId is { } id ? _store.Find(id, now) : null;
                snapshots[i] = new RecurringJobSnapshot(
                    entry.Name,
                    entry.Registration.Expression,
                    entry.Options.TimeZone,
                    entry.JobRegistration.QueueName,
                    entry.Paused ? null : entry.Next,
                    entry.LastSlot,
                    entry.LastJobId,
                    last?.State,
                    entry.Paused,
                    entry.Options.Misfire,
                    entry.Options.Overlap);
            }
        }

        return snapshots;
    }

    /// <summary>Enqueues a run now, outside the schedule: no slot is claimed and the overlap policy does not apply.</summary>
    public JobId? Trigger(string name)
    {
        var entry = Find(name);
        lock (entry)
        {
            var id = Enqueue(entry, _time.GetUtcNow());
            Log.RecurringTriggered(_logger, name, id);
            return id;
        }
    }

    public bool Pause(string name)
    {
        var entry = Find(name);
        lock (entry)
        {
            if (entry.Paused)
            {
                return false;
            }

            entry.Paused = true;
            entry.Version++;
            entry.HeldSlot = null;
            Log.RecurringPaused(_logger, name);
            return true;
        }
    }

    /// <summary>Resumes from now: the next slot is the first after now, so the slots missed while paused never run.</summary>
    public bool Resume(string name)
    {
        var entry = Find(name);
        lock (entry)
        {
            if (!entry.Paused)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            entry.Paused = false;
            entry.Version++;
            entry.After = now > entry.After ? now : entry.After;
            entry.Next = entry.Schedule.NextAfter(entry.After);
            Log.RecurringResumed(_logger, name, entry.Next is { } next ? TimeMath.Iso(next) : "never");
            if (_started)
            {
                Push(entry);
            }

            return true;
        }
    }

    private RecurringEntry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var entry))
        {
            return entry;
        }

        throw new ArgumentException(UnknownMessage(name, _entries.Select(e => e.Name)), nameof(name));
    }

    /// <summary>The error for a name no schedule has: it lists the ones there are (the first 20).</summary>
    public static string UnknownMessage(string name, IEnumerable<string> known)
    {
        var names = known.Take(21).ToList();
        var list = names.Count == 0
            ? "no recurring jobs are registered (add them with AddRecurringJob)"
            : "the recurring jobs are " + string.Join(", ", names.Take(20).Select(n => $"'{n}'")) + (names.Count > 20 ? ", ..." : string.Empty);
        return $"No recurring job is named '{name}'; {list}. Names are case-sensitive.";
    }
}

using System.Diagnostics;
using InProc.Execution;

namespace InProc.Limits;

/// <summary>
/// At most <c>limit</c> running jobs per key, for one registration. A job over the limit joins its key's first-in,
/// first-out list and gives its worker back; when a permit is returned it goes straight to the oldest waiter, which is
/// then dispatched holding it, so no later arrival can overtake it and running + handed-over never exceeds the limit.
/// Keys with nothing running and nobody waiting are removed, so memory follows the keys in use.
/// </summary>
internal sealed class ConcurrencyGate(int limit)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, KeySlots> _keys = new(StringComparer.Ordinal);

    public int Limit => limit;

    /// <summary>Keys with a job running or waiting (for tests and the monitor).</summary>
    public int KeyCount
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>
    /// True when the job may run (it holds a permit now); false when it joined its key's waiting list, marked as
    /// waiting since <paramref name="nowTicks"/> before anyone can hand it a permit (so a mark never outlives its wait).
    /// </summary>
    public bool TryEnter(Envelope envelope, LimitState state, long nowTicks)
    {
        if (state.HoldsPermit)
        {
            return true; // handed over by the job that ended before it
        }

        var key = state.ConcurrencyKey!;
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var slots))
            {
                _keys[key] = slots = new KeySlots();
            }

            // A new arrival queues behind waiters even when a permit is free: first in, first out per key.
            if (slots.Running < limit && (slots.Waiting is null || slots.Waiting.Count == 0))
            {
                slots.Running++;
                state.TakePermit();
                AssertInvariants(slots);
                return true;
            }

            state.MarkWaiting(JobWaitReason.ConcurrencyLimit, nowTicks);
            (slots.Waiting ??= new Queue<Envelope>()).Enqueue(envelope);
            AssertInvariants(slots);
            return false;
        }
    }

    /// <summary>
    /// Returns the permit <paramref name="state"/> holds, if any, and hands it to the oldest waiter still queued: the
    /// caller dispatches the returned job. Null when no permit was held or nobody waits.
    /// </summary>
    public Envelope? Release(LimitState state)
    {
        if (!state.TryReturnPermit())
        {
            return null;
        }

        Envelope? next = null;
        lock (_lock)
        {
            var key = state.ConcurrencyKey!;
            var slots = _keys[key];
            slots.Running--;
            while (slots.Waiting is { Count: > 0 } waiting)
            {
                var candidate = waiting.Dequeue();
                if (candidate.State == JobState.Enqueued && candidate.Limits is { } waiter)
                {
                    slots.Running++;
                    waiter.TakePermit();
                    next = candidate;
                    break;
                }

                // Cancelled or abandoned while it waited: a tombstone, skipped.
            }

            if (slots.Running == 0 && slots.Waiting is not { Count: > 0 })
            {
                _keys.Remove(key);
            }
            else
            {
                AssertInvariants(slots);
            }
        }

        // The waiter may have been cancelled between the check above and its permit: its final transition may have
        // looked for a permit before it had one. Whoever returns it first wins (TryReturnPermit), so it is never lost.
        if (next is not null && next.State.IsFinal())
        {
            return Release(next.Limits!);
        }

        return next;
    }

    /// <summary>Takes every waiting job out (the stop reports them as abandoned).</summary>
    public List<Envelope> TakeWaiting()
    {
        var taken = new List<Envelope>();
        lock (_lock)
        {
            foreach (var slots in _keys.Values)
            {
                while (slots.Waiting is { Count: > 0 } waiting)
                {
                    taken.Add(waiting.Dequeue());
                }
            }
        }

        return taken;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants(KeySlots slots) =>
        Debug.Assert(slots.Running >= 0 && slots.Running <= limit, "running + handed-over permits stay within the limit");

    private sealed class KeySlots
    {
        public int Running;
        public Queue<Envelope>? Waiting;
    }
}

using System.Diagnostics;
using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// The most recent finished jobs, bounded by count (a fixed array allocated once) and by age (checked on read).
/// </summary>
internal sealed class FinishedRing(int capacity, TimeSpan retentionPeriod)
{
    private readonly FinishedRecord[] _records = new FinishedRecord[capacity];
    private readonly object _lock = new();
    private long _written; // total records ever written; the next slot is _written % capacity

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return (int)Math.Min(_written, _records.Length);
            }
        }
    }

    /// <summary>Writes the record of a job that just finished; returns its slot (-1 when nothing is retained).</summary>
    public int Add(Envelope envelope)
    {
        if (_records.Length == 0)
        {
            return -1;
        }

        var record = FinishedRecord.From(envelope);
        lock (_lock)
        {
            var slot = (int)(_written % _records.Length);
            _records[slot] = record;
            _written++;
            AssertInvariants();
            return slot;
        }
    }

    /// <summary>Marks a job's record stale because the job runs again (a dead letter's re-run).</summary>
    public void Retire(JobId id, int slot)
    {
        if (slot < 0 || slot >= _records.Length)
        {
            return;
        }

        lock (_lock)
        {
            if (_records[slot].Id == id)
            {
                _records[slot].Live = false;
            }
        }
    }

    public JobSnapshot? Find(JobId id, DateTimeOffset now) => FindDetail(id, now)?.Job;

    public JobDetail? FindDetail(JobId id, DateTimeOffset now)
    {
        lock (_lock)
        {
            // Newest first: a status page asks mostly about recent jobs.
            var count = (int)Math.Min(_written, _records.Length);
            for (var i = 1; i <= count; i++)
            {
                ref var record = ref _records[(int)((_written - i) % _records.Length)];
                if (record.Id == id && record.Live)
                {
                    return IsExpired(record, now) ? null : record.ToDetail();
                }
            }
        }

        return null;
    }

    public void CopyTo(List<JobSnapshot> into, Func<JobState, string, bool> match, DateTimeOffset now)
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_written, _records.Length);
            for (var i = 1; i <= count; i++)
            {
                ref var record = ref _records[(int)((_written - i) % _records.Length)];
                if (record.Live && !IsExpired(record, now) && match(record.State, record.Registration!.QueueName))
                {
                    into.Add(record.ToSnapshot());
                }
            }
        }
    }

    private bool IsExpired(in FinishedRecord record, DateTimeOffset now) => now.UtcTicks - record.FinishedAtTicks > retentionPeriod.Ticks;

    [Conditional("DEBUG")]
    private void AssertInvariants() => Debug.Assert(_written > 0, "a record was written");
}

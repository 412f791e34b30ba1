using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// The most recent finished jobs, bounded by count (a fixed array allocated once) and by age (checked on read).
/// </summary>
/// <remarks>
/// Writers take no lock: a finishing worker draws a ticket (one interlocked increment), which names its slot
/// (ticket % capacity), and writes the record there under the slot's version word, a seqlock: odd while a writer is
/// in it, 2 × (ticket + 1) once its record is whole. A reader copies a record and keeps the copy only if the version
/// was even and unchanged around it, so it never sees half of one job and half of another. Two writers whose tickets
/// map to the same slot (a ring smaller than the number of workers finishing at once) cannot both be in it: the
/// later ticket wins, and an older ticket that arrives second leaves the newer record alone, so the ring always
/// keeps the newest records, as the locked ring did. Reads are for status pages, not the hot path.
/// </remarks>
internal sealed class FinishedRing(int capacity, TimeSpan retentionPeriod)
{
    private readonly FinishedRecord[] _records = new FinishedRecord[capacity];
    private readonly long[] _versions = new long[capacity];
    private long _written; // tickets drawn: records ever written; the next slot is _written % capacity

    public int Count => (int)Math.Min(Volatile.Read(ref _written), _records.Length);

    /// <summary>Writes the record of a job that just finished; returns its slot (-1 when nothing is retained).</summary>
    public int Add(Envelope envelope)
    {
        if (_records.Length == 0)
        {
            return -1;
        }

        var ticket = Interlocked.Increment(ref _written) - 1;
        var slot = (int)(ticket % _records.Length);
        ref var version = ref _versions[slot];
        var spin = default(SpinWait);
        while (true)
        {
            var seen = Volatile.Read(ref version);
            if ((seen & 1) == 0)
            {
                if ((seen >> 1) > ticket)
                {
                    return slot; // a newer job's record is there already: it is the one to keep
                }

                if (Interlocked.CompareExchange(ref version, (ticket << 1) | 1, seen) == seen)
                {
                    break;
                }
            }

            spin.SpinOnce(); // another writer is in this slot (a ring smaller than the workers finishing at once)
        }

        FinishedRecord.Write(ref _records[slot], envelope);
        Volatile.Write(ref version, (ticket + 1) << 1);
        return slot;
    }

    /// <summary>Marks a job's record stale because the job runs again (a dead letter's re-run).</summary>
    public void Retire(JobId id, int slot)
    {
        if (slot < 0 || slot >= _records.Length)
        {
            return;
        }

        ref var version = ref _versions[slot];
        var spin = default(SpinWait);
        while (true)
        {
            var seen = Volatile.Read(ref version);
            if ((seen & 1) == 0 && Interlocked.CompareExchange(ref version, seen | 1, seen) == seen)
            {
                if (_records[slot].Id == id)
                {
                    _records[slot].Live = false;
                }

                // Back to the same version: a reader that copied the record while the flag changed saw the odd
                // version and reads it again; one before or after has either value of a single flag.
                Volatile.Write(ref version, seen);
                return;
            }

            spin.SpinOnce();
        }
    }

    public JobSnapshot? Find(JobId id, DateTimeOffset now) => FindDetail(id, now)?.Job;

    public JobDetail? FindDetail(JobId id, DateTimeOffset now)
    {
        // Newest first: a status page asks mostly about recent jobs.
        foreach (var record in NewestFirst())
        {
            if (record.Id == id && record.Live)
            {
                return IsExpired(record, now) ? null : record.ToDetail();
            }
        }

        return null;
    }

    public void CopyTo(List<JobSnapshot> into, Func<JobState, string, bool> match, DateTimeOffset now)
    {
        foreach (var record in NewestFirst())
        {
            if (record.Live && !IsExpired(record, now) && match(record.State, record.Registration!.QueueName))
            {
                into.Add(record.ToSnapshot());
            }
        }
    }

    /// <summary>Whole copies of the retained records, newest first (reads only: status pages, not the hot path).</summary>
    private IEnumerable<FinishedRecord> NewestFirst()
    {
        var written = Volatile.Read(ref _written);
        var count = (int)Math.Min(written, _records.Length);
        for (var i = 1; i <= count; i++)
        {
            if (TryRead((int)((written - i) % _records.Length), out var record))
            {
                yield return record;
            }
        }
    }

    /// <summary>A whole copy of the slot's record (waiting out a writer that is in it); false when the slot was never written.</summary>
    private bool TryRead(int slot, out FinishedRecord record)
    {
        ref var version = ref _versions[slot];
        var spin = default(SpinWait);
        while (true)
        {
            var before = Volatile.Read(ref version);
            if ((before & 1) == 0)
            {
                record = _records[slot];
                Interlocked.MemoryBarrier(); // the copy's reads complete before the version is read again
                if (Volatile.Read(ref version) == before)
                {
                    return before != 0;
                }
            }
            spin.SpinOnce();
        }
    }

    private bool IsExpired(in FinishedRecord record, DateTimeOffset now) => now.UtcTicks - record.FinishedAtTicks > retentionPeriod.Ticks;
}

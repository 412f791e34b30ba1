using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// Id → envelope for jobs that have not finished: a ring of slots addressed by the id's sequence number, with a
/// striped dictionary behind it for the few jobs whose slot is taken.
/// </summary>
/// <remarks>
/// Ids are handed out in sequence, so consecutive enqueues fill consecutive slots and a worker clears them in
/// about the same order, many slots behind: the producer and the workers rarely touch the same cache line, and an
/// add is one compare-and-set on a line the producer already holds. A dictionary (striped or concurrent) makes
/// both sides write the same buckets, counts and lock words on every job, which measured as the largest cost of
/// an enqueue while workers run (bench/README.md, issue 8). A job that outlives a full turn of the ring (a
/// scheduled job, a long retry wait) keeps its slot; the later id that maps to it goes to the overflow.
/// </remarks>
internal sealed class ActiveIndex
{
    private const int MinSlots = 1 << 10;
    private const int MaxSlots = 1 << 20; // 8 MB of references at most; beyond that the overflow takes the rest

    private readonly Envelope?[] _slots;
    private readonly long _mask;
    private readonly StripedIndex _overflow = new();
    private int _overflowCount;

    /// <param name="expectedActive">About how many jobs are active at once (the queues' capacity and workers): the ring gets twice that, rounded up to a power of two.</param>
    public ActiveIndex(int expectedActive = 0)
    {
        var wanted = Math.Clamp(2L * Math.Max(expectedActive, 0), MinSlots, MaxSlots);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)wanted);
        _slots = new Envelope?[size];
        _mask = size - 1;
    }

    /// <summary>The number of slots in the ring (for tests).</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Active jobs now. Counts the ring (a read, for tests and the monitor; not on the hot path).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var slot in _slots)
            {
                count += slot is null ? 0 : 1;
            }

            return count + (Volatile.Read(ref _overflowCount) > 0 ? _overflow.Count : 0);
        }
    }

    public void Add(Envelope envelope)
    {
        ref var slot = ref _slots[envelope.Id.Sequence & _mask];
        if (Interlocked.CompareExchange(ref slot, envelope, null) is null)
        {
            return;
        }

        // Counted before it is added: a reader that misses the count cannot be looking for this job yet.
        Interlocked.Increment(ref _overflowCount);
        _overflow.Add(envelope);
    }

    public Envelope? Find(JobId id)
    {
        var envelope = Volatile.Read(ref _slots[id.Sequence & _mask]);
        if (envelope is not null && envelope.Id == id)
        {
            return envelope;
        }

        return Volatile.Read(ref _overflowCount) > 0 ? _overflow.Find(id) : null;
    }

    public void Remove(Envelope envelope)
    {
        ref var slot = ref _slots[envelope.Id.Sequence & _mask];
        if (ReferenceEquals(Volatile.Read(ref slot), envelope) && ReferenceEquals(Interlocked.CompareExchange(ref slot, null, envelope), envelope))
        {
            return;
        }

        if (Volatile.Read(ref _overflowCount) > 0 && _overflow.Remove(envelope))
        {
            Interlocked.Decrement(ref _overflowCount);
        }
    }

    /// <summary>Copies the envelopes that match, for a paged query.</summary>
    public void CopyTo(List<Envelope> into, Func<Envelope, bool> match)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is { } envelope && match(envelope))
            {
                into.Add(envelope);
            }
        }

        if (Volatile.Read(ref _overflowCount) > 0)
        {
            _overflow.CopyTo(into, match);
        }
    }
}

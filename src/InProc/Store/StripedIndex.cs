using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// Id → envelope for the active jobs <see cref="ActiveIndex"/>'s ring has no free slot for (long-lived scheduled or
/// retrying jobs whose slot a later id maps to). Striped (a lock and a dictionary per stripe) rather than a
/// ConcurrentDictionary, whose node per entry would be a second allocation on every add.
/// </summary>
internal sealed class StripedIndex
{
    private const int StripeCount = 32; // a power of two: the stripe is picked by masking the hash
    private const int MinTrimCapacity = 4_096; // per stripe: 32 × 4,096 slots (~4.7 MB) is the most an idle index keeps

    private readonly Stripe[] _stripes;

    public StripedIndex()
    {
        _stripes = new Stripe[StripeCount];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe.Lock)
                {
                    count += stripe.Map.Count;
                }
            }

            return count;
        }
    }

    public void Add(Envelope envelope)
    {
        var stripe = StripeOf(envelope.Id);
        lock (stripe.Lock)
        {
            stripe.Map[envelope.Id] = envelope;
        }
    }

    public Envelope? Find(JobId id)
    {
        var stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            return stripe.Map.GetValueOrDefault(id);
        }
    }

    /// <summary>Removes the envelope; false when it was not here.</summary>
    public bool Remove(Envelope envelope)
    {
        var stripe = StripeOf(envelope.Id);
        lock (stripe.Lock)
        {
            var map = stripe.Map;
            if (!map.Remove(envelope.Id))
            {
                return false;
            }

            // A dictionary keeps the capacity of its largest size, so a drained backlog of a million jobs would keep
            // ~40 MB of empty index for the life of the process. Give it back once a stripe is under a quarter full,
            // keeping MinTrimCapacity so ordinary bursts never regrow it: O(1) amortized.
            var capacity = map.EnsureCapacity(0);
            if (capacity > MinTrimCapacity && map.Count < capacity / 4)
            {
                map.TrimExcess(Math.Max(map.Count, MinTrimCapacity));
            }

            return true;
        }
    }

    /// <summary>Copies the envelopes that match, for a paged query.</summary>
    public void CopyTo(List<Envelope> into, Func<Envelope, bool> match)
    {
        foreach (var stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (var envelope in stripe.Map.Values)
                {
                    if (match(envelope))
                    {
                        into.Add(envelope);
                    }
                }
            }
        }
    }

    private Stripe StripeOf(JobId id) => _stripes[id.GetHashCode() & (StripeCount - 1)];

    private sealed class Stripe
    {
        public readonly object Lock = new();
        public readonly Dictionary<JobId, Envelope> Map = [];
    }
}

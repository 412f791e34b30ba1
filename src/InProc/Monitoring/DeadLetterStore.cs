using InProc.Execution;

namespace InProc.Monitoring;

/// <summary>The bounded list of jobs that failed for good, oldest first.</summary>
internal sealed class DeadLetterStore(int capacity)
{
    private readonly object _lock = new();
    private readonly List<(Envelope Envelope, DeadLetter Letter)> _items = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds a dead letter; returns the one pushed out when the list was full.</summary>
    public Envelope? Add(Envelope envelope, DeadLetter letter)
    {
        if (capacity == 0)
        {
            return envelope;
        }

        lock (_lock)
        {
            Envelope? dropped = null;
            if (_items.Count == capacity)
            {
                dropped = _items[0].Envelope;
                _items.RemoveAt(0); // at most a few thousand entries, and only when full: a shift is fine
            }

            _items.Add((envelope, letter));
            return dropped;
        }
    }

    public DeadLetter[] Snapshot()
    {
        lock (_lock)
        {
            return _items.ConvertAll(item => item.Letter).ToArray();
        }
    }

    public DeadLetter? Find(JobId id)
    {
        lock (_lock)
        {
            var index = IndexOf(id);
            return index < 0 ? null : _items[index].Letter;
        }
    }

    public Envelope? Take(JobId id)
    {
        lock (_lock)
        {
            var index = IndexOf(id);
            if (index < 0)
            {
                return null;
            }

            var envelope = _items[index].Envelope;
            _items.RemoveAt(index);
            return envelope;
        }
    }

    public int Purge()
    {
        lock (_lock)
        {
            var count = _items.Count;
            _items.Clear();
            return count;
        }
    }

    private int IndexOf(JobId id) => _items.FindIndex(item => item.Envelope.Id == id);
}

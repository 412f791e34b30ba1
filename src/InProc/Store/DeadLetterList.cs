using InProc.Execution;

namespace InProc.Store;

/// <summary>The bounded list of jobs that failed for good, oldest first, keeping each envelope for a re-run.</summary>
internal sealed class DeadLetterList(int capacity)
{
    private readonly object _lock = new();
    private readonly LinkedList<(Envelope Envelope, DeadLetter Letter)> _items = new();
    private readonly Dictionary<JobId, LinkedListNode<(Envelope Envelope, DeadLetter Letter)>> _byId = [];

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

    /// <summary>Adds a dead letter; returns the one pushed out when the list was full (the new one itself at capacity 0).</summary>
    public DeadLetter? Add(Envelope envelope, DeadLetter letter)
    {
        if (capacity == 0)
        {
            return letter;
        }

        lock (_lock)
        {
            DeadLetter? dropped = null;
            if (_items.Count == capacity && _items.First is { } oldest)
            {
                dropped = oldest.Value.Letter;
                _byId.Remove(oldest.Value.Envelope.Id);
                _items.RemoveFirst();
            }

            _byId[envelope.Id] = _items.AddLast((envelope, letter));
            return dropped;
        }
    }

    public DeadLetter[] Snapshot()
    {
        lock (_lock)
        {
            var letters = new DeadLetter[_items.Count];
            var i = 0;
            foreach (var item in _items)
            {
                letters[i++] = item.Letter;
            }

            return letters;
        }
    }

    public (Envelope Envelope, DeadLetter Letter)? Find(JobId id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var node) ? node.Value : null;
        }
    }

    public Envelope? Take(JobId id)
    {
        lock (_lock)
        {
            if (!_byId.Remove(id, out var node))
            {
                return null;
            }

            _items.Remove(node);
            return node.Value.Envelope;
        }
    }

    /// <summary>Empties the list; the ids it held go into <paramref name="purged"/> when given (a journal deletes exactly those rows).</summary>
    public int Purge(List<JobId>? purged = null)
    {
        lock (_lock)
        {
            var count = _items.Count;
            purged?.AddRange(_byId.Keys);
            _items.Clear();
            _byId.Clear();
            return count;
        }
    }
}

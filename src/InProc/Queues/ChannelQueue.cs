using System.Collections.Concurrent;
using System.Threading.Channels;
using InProc.Execution;

namespace InProc.Queues;

/// <summary>
/// One named queue: a channel of envelopes, its capacity as a count of slots, and the due jobs waiting for a
/// slot. Capacity is counted apart from the channel so that a cancelled or abandoned job gives its slot back at
/// once (its envelope stays in the channel as a tombstone without its message, skipped by the next worker), and
/// a due job meeting a full queue waits in <see cref="_dueBacklog"/> instead of in a task of its own.
/// </summary>
internal sealed class ChannelQueue
{
    private readonly Channel<Envelope> _channel;
    private readonly SlotCounter _slots;
    private readonly ConcurrentQueue<Envelope> _dueBacklog = new();
    // One slot per worker, _runningStride references apart: each worker writes its slot twice per job, and slots on
    // one cache line bounce that line between the cores on every job (false sharing). 16 references = 128 bytes (two
    // lines, so the adjacent-line prefetcher does not pair them either), for up to 64 workers (8 KB); beyond that the
    // slots are packed, as the memory would grow with the worker count and few of many workers run at the same instant.
    private const int PaddedWorkersMax = 64;
    private readonly int _runningStride;
    private readonly Envelope?[] _running;
    private readonly object _pumpLock = new();
    private volatile bool _closing;

    public ChannelQueue(QueueOptions options)
    {
        Name = options.Name;
        Workers = options.Workers;
        Capacity = options.Capacity;
        FullMode = options.FullMode;
        _runningStride = Workers <= PaddedWorkersMax ? 16 : 1;
        _running = new Envelope?[Workers * _runningStride];
        _slots = new SlotCounter(Capacity);

        // Unbounded because capacity is counted by _slots. Workers wait with ReadAsync: one waiter is woken per
        // item, where WaitToReadAsync would wake every idle worker on every write.
        _channel = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions
        {
            SingleReader = Workers == 1,
            SingleWriter = false,

            // A producer's write must not run a worker's continuation inline (the request thread would run the job).
            AllowSynchronousContinuations = false,
        });
    }

    public string Name { get; }

    public int Workers { get; }

    public int Capacity { get; }

    public QueueFullMode FullMode { get; }

    /// <summary>Jobs holding a slot (queued, not yet taken by a worker), plus due jobs waiting for one.</summary>
    public int Waiting => Capacity - _slots.Free + _dueBacklog.Count;

    public int Running
    {
        get
        {
            var count = 0;
            foreach (var envelope in RunningJobs())
            {
                count += envelope is null ? 0 : 1;
            }

            return count;
        }
    }

    public ChannelReader<Envelope> Reader => _channel.Reader;

    public Task[] WorkerTasks { get; set; } = [];

    public bool TryTakeSlot() => _slots.TryTake();

    public bool HasDueWaiting => !_dueBacklog.IsEmpty;

    public ValueTask<bool> WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Writes an envelope that holds a slot. False once the queue is closed (the slot is given back).</summary>
    public bool TryWrite(Envelope envelope)
    {
        envelope.TakeSlot();
        if (_channel.Writer.TryWrite(envelope))
        {
            return true;
        }

        ReleaseSlotOf(envelope);
        return false;
    }

    /// <summary>Gives back the slot an envelope holds, if it still holds one, and lets a waiting due job in.</summary>
    public bool ReleaseSlotOf(Envelope envelope)
    {
        if (!envelope.TryReleaseSlot())
        {
            return false;
        }

        _slots.Release();
        return true;
    }

    /// <summary>Parks a due job until a slot frees (no task, no timer: the next released slot lets it in).</summary>
    public void AddDue(Envelope envelope) => _dueBacklog.Enqueue(envelope);

    /// <summary>
    /// Moves due jobs into free slots, oldest first. Returns the ones that could not be written (the queue closed
    /// under them), for the caller to report. Once closing, the channel completes when the last due job is in.
    /// </summary>
    public List<Envelope>? PumpDue()
    {
        if (_dueBacklog.IsEmpty)
        {
            return null;
        }

        List<Envelope>? failed = null;
        lock (_pumpLock)
        {
            while (!_dueBacklog.IsEmpty && _slots.TryTake())
            {
                if (!_dueBacklog.TryDequeue(out var envelope))
                {
                    _slots.Release();
                    break;
                }

                if (!TryWrite(envelope))
                {
                    (failed ??= []).Add(envelope);
                }
            }

            CompleteIfDrained();
        }

        return failed;
    }

    /// <summary>Takes the due jobs still waiting for a slot (the drain ran out of time), and lets the channel complete.</summary>
    public List<Envelope> TakeDueBacklog()
    {
        var list = new List<Envelope>();
        lock (_pumpLock)
        {
            while (_dueBacklog.TryDequeue(out var envelope))
            {
                list.Add(envelope);
            }

            CompleteIfDrained();
        }

        return list;
    }

    /// <summary>Takes what is still waiting in the channel, for the shutdown report.</summary>
    public List<Envelope> TakeWaiting()
    {
        var list = new List<Envelope>();
        while (_channel.Reader.TryRead(out var envelope))
        {
            ReleaseSlotOf(envelope);
            list.Add(envelope);
        }

        return list;
    }

    /// <summary>Takes the oldest queued job (DropOldest); null when the channel is empty.</summary>
    public Envelope? TryTakeOldest() => _channel.Reader.TryRead(out var envelope) ? envelope : null;

    /// <summary>
    /// Stops taking new work: enqueuers waiting for space are released, and the channel completes (so the workers
    /// end once it is empty) as soon as no due job waits for a slot: due jobs already accepted still drain.
    /// </summary>
    public void Close()
    {
        _closing = true;
        _slots.Close();
        lock (_pumpLock)
        {
            CompleteIfDrained();
        }
    }

    private void CompleteIfDrained()
    {
        if (_closing && _dueBacklog.IsEmpty)
        {
            _channel.Writer.TryComplete();
        }
    }

    public void SetRunning(int worker, Envelope? envelope) => Volatile.Write(ref _running[worker * _runningStride], envelope);

    public IEnumerable<Envelope?> RunningJobs()
    {
        for (var i = 0; i < _running.Length; i += _runningStride)
        {
            yield return Volatile.Read(ref _running[i]);
        }
    }
}

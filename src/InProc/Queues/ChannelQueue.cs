using System.Threading.Channels;
using InProc.Execution;

namespace InProc.Queues;

/// <summary>One named queue: a bounded channel of envelopes and the worker tasks that read it.</summary>
internal sealed class ChannelQueue
{
    private readonly Channel<Envelope> _channel;
    private readonly Envelope?[] _running;
    private Task[] _workers = [];

    public ChannelQueue(QueueOptions options, Action<Envelope> onDropped)
    {
        Name = options.Name;
        Workers = options.Workers;
        Capacity = options.Capacity;
        FullMode = options.FullMode;
        _running = new Envelope?[Workers];
        _channel = Channel.CreateBounded(
            new BoundedChannelOptions(Capacity)
            {
                FullMode = FullMode switch
                {
                    QueueFullMode.DropOldest => BoundedChannelFullMode.DropOldest,

                    // "Newest" is the job being enqueued: the channel's DropWrite, not its DropNewest (which would
                    // drop the newest job already waiting and accept the incoming one).
                    QueueFullMode.DropNewest => BoundedChannelFullMode.DropWrite,
                    _ => BoundedChannelFullMode.Wait,
                },
                SingleReader = Workers == 1,
                SingleWriter = false,

                // A producer's TryWrite must not run a worker's continuation inline (the request thread would
                // then run the job).
                AllowSynchronousContinuations = false,
            },
            onDropped);
    }

    public string Name { get; }

    public int Workers { get; }

    public int Capacity { get; }

    public QueueFullMode FullMode { get; }

    public int Waiting => _channel.Reader.Count;

    /// <summary>Workers running a job now: counted from the slots when asked (monitor, status pages), so that a job
    /// costs no shared counter that every worker would increment and decrement.</summary>
    public int Running
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _running.Length; i++)
            {
                if (Volatile.Read(ref _running[i]) is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public ChannelWriter<Envelope> Writer => _channel.Writer;

    /// <summary>Completes when every worker has stopped (the writer is complete and the channel empty).</summary>
    public Task Completion => Task.WhenAll(_workers);

    /// <summary>Starts <see cref="Workers"/> consumers; each runs one job at a time through <paramref name="execute"/>.</summary>
    public void Start(Func<Envelope, Task> execute, Func<Envelope, bool> skip, Action<Envelope, Exception> onFault)
    {
        var workers = new Task[Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            var slot = i;
            workers[i] = Task.Run(() => WorkAsync(slot, execute, skip, onFault));
        }

        _workers = workers;
    }

    /// <summary>Jobs running now (one per busy worker).</summary>
    public List<Envelope> RunningJobs()
    {
        var list = new List<Envelope>();
        for (var i = 0; i < _running.Length; i++)
        {
            if (Volatile.Read(ref _running[i]) is { } envelope)
            {
                list.Add(envelope);
            }
        }

        return list;
    }

    /// <summary>Takes what is still waiting, for the shutdown report.</summary>
    public List<Envelope> TakeWaiting()
    {
        var list = new List<Envelope>();
        while (_channel.Reader.TryRead(out var envelope))
        {
            list.Add(envelope);
        }

        return list;
    }

    private async Task WorkAsync(int slot, Func<Envelope, Task> execute, Func<Envelope, bool> skip, Action<Envelope, Exception> onFault)
    {
        var reader = _channel.Reader;

        // No token: a worker ends when the writer is completed and the channel is empty, which is the drain.
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var envelope))
            {
                if (skip(envelope))
                {
                    continue;
                }

                Volatile.Write(ref _running[slot], envelope);
                try
                {
                    await execute(envelope).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A worker must survive anything; the executor already turns job failures into outcomes.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    onFault(envelope, ex);
                }
                finally
                {
                    Volatile.Write(ref _running[slot], null);
                }
            }
        }
    }
}

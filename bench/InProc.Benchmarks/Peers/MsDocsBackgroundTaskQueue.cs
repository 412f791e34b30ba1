using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace InProc.Benchmarks.Peers;

// The "queued background tasks" pattern from the ASP.NET Core docs (Background tasks with hosted services), written
// from its description: an IBackgroundTaskQueue over a bounded channel of Func<CancellationToken, ValueTask> work
// items, and a BackgroundService that dequeues and awaits them. The docs run one consumer loop; to compare at equal
// concurrency this one runs N copies of that loop inside ExecuteAsync. No ids, no retries, no records, no scope.

/// <summary>The queue a request handler sees.</summary>
public interface IBackgroundTaskQueue
{
    ValueTask QueueBackgroundWorkItemAsync(Func<CancellationToken, ValueTask> workItem);

    ValueTask<Func<CancellationToken, ValueTask>> DequeueAsync(CancellationToken cancellationToken);
}

/// <summary>A bounded channel of work items; a full queue makes the caller wait.</summary>
public sealed class BackgroundTaskQueue : IBackgroundTaskQueue
{
    private readonly Channel<Func<CancellationToken, ValueTask>> _queue;

    public BackgroundTaskQueue(int capacity)
    {
        _queue = Channel.CreateBounded<Func<CancellationToken, ValueTask>>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Count => _queue.Reader.Count;

    public async ValueTask QueueBackgroundWorkItemAsync(Func<CancellationToken, ValueTask> workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        await _queue.Writer.WriteAsync(workItem);
    }

    public ValueTask<Func<CancellationToken, ValueTask>> DequeueAsync(CancellationToken cancellationToken) =>
        _queue.Reader.ReadAsync(cancellationToken);

    /// <summary>Empties the queue without running the items (benchmarks whose consumer was never started).</summary>
    public int Drain()
    {
        var count = 0;
        while (_queue.Reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }
}

/// <summary>The consumer: <paramref name="consumers"/> loops that dequeue a work item and await it.</summary>
public sealed class QueuedHostedService(IBackgroundTaskQueue taskQueue, int consumers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new Task[consumers];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Run(() => ProcessTaskQueueAsync(stoppingToken), CancellationToken.None);
        }

        return Task.WhenAll(loops);
    }

    private async Task ProcessTaskQueueAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var workItem = await taskQueue.DequeueAsync(stoppingToken);
                await workItem(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the host is shutting down.
            }
#pragma warning disable CA1031 // The docs' consumer logs a failing work item and keeps going.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync($"Work item failed: {ex}");
            }
        }
    }
}

/// <summary>The queue and its consumer, started and stopped as a host would.</summary>
public sealed class MsDocsPeer : IAsyncDisposable
{
    /// <summary>The no-op work item, cached: enqueueing it allocates nothing itself.</summary>
    public static readonly Func<CancellationToken, ValueTask> NoopItem = static _ => new ValueTask(Infrastructure.Work.RunNoop());

    /// <summary>The I/O-bound work item, cached.</summary>
    public static readonly Func<CancellationToken, ValueTask> IoItem = static ct => new ValueTask(Infrastructure.Work.RunIo(ct));

    private readonly QueuedHostedService _service;

    public MsDocsPeer(int workers, int capacity, bool start = true)
    {
        Queue = new BackgroundTaskQueue(capacity);
        _service = new QueuedHostedService(Queue, workers);
        if (start)
        {
            _service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public BackgroundTaskQueue Queue { get; }

    public async ValueTask DisposeAsync()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
    }
}

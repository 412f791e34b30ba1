namespace InProc.StressTests.Support;

/// <summary>
/// Producers, a canceller and a stop racing on one host. Producers mix <c>EnqueueAsync</c>, <c>TryEnqueue</c> and
/// <c>ScheduleAsync</c> (small delays) over both queues and every <see cref="WorkKind"/> but
/// <see cref="WorkKind.UntilCancelled"/>, all drawn from a seeded <see cref="Random"/>; when the calls reach a seeded
/// share of the total, the producer that made that call starts the host's stop and, like the others, goes on producing.
/// </summary>
internal sealed class ShutdownRace(StressHost host, IdBoard board, int totalCalls, int stopAtCall)
{
    private readonly TaskCompletionSource<(Task Stopping, long StartedAt)> _stopPoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;
    private int _accepted;
    private int _refused;
    private int _refusedWithId;
    private int _queueFull;
    private int _stoppingThrows;
    private int _threwBeforeStop;
    private int _cancelAttempts;
    private volatile bool _stopRequested;
    private volatile bool _producersDone;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary><c>TryEnqueue</c> returned false.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary><c>TryEnqueue</c> returned false with an id other than <c>default</c>: must stay 0.</summary>
    public int RefusedWithId => Volatile.Read(ref _refusedWithId);

    /// <summary>A call threw <see cref="QueueFullException"/>.</summary>
    public int QueueFull => Volatile.Read(ref _queueFull);

    /// <summary>A call threw another <see cref="InvalidOperationException"/> (InProc is stopping).</summary>
    public int StoppingThrows => Volatile.Read(ref _stoppingThrows);

    /// <summary>A "stopping" throw from a call made before the stop was requested: must stay 0.</summary>
    public int ThrewBeforeStop => Volatile.Read(ref _threwBeforeStop);

    public int CancelAttempts => Volatile.Read(ref _cancelAttempts);

    public int Calls => Volatile.Read(ref _calls);

    public int TotalCalls => totalCalls;

    public int StopAtCall => stopAtCall;

    public bool ProducersDone
    {
        get => _producersDone;
        set => _producersDone = value;
    }

    /// <summary>Waits for the stop a producer started at the stop point; returns how long the stop took.</summary>
    public async Task<TimeSpan> WaitForStopAsync()
    {
        var (stopping, startedAt) = await _stopPoint.Task.WaitAsync(StressHost.Patience);
        await stopping.WaitAsync(StressHost.Patience);
        return TimeProvider.System.GetElapsedTime(startedAt);
    }

    public async Task ProduceAsync(int seed, int count)
    {
        var random = new Random(seed);
        var jobs = host.Jobs;
        for (var i = 0; i < count; i++)
        {
            if (Interlocked.Increment(ref _calls) == stopAtCall)
            {
                // Inline, on this producer: the other producers do not wait for the stop, nor does this one after it.
                _stopRequested = true;
                var startedAt = TimeProvider.System.GetTimestamp();
                _stopPoint.TrySetResult((host.BeginStopAsync(), startedAt));
            }

            var operation = random.Next(100);
            var retried = random.Next(100) < 40;
            var kind = PickKind(random);
            var spins = random.Next(1, 40);
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 4));
            try
            {
                var (accepted, id) = operation switch
                {
                    < 50 => (true, retried ? await jobs.EnqueueAsync(new RetriedWork(kind, spins)) : await jobs.EnqueueAsync(new Work(kind, spins))),
                    < 75 => TryEnqueue(jobs, retried, kind, spins),
                    _ => (true, retried ? await jobs.ScheduleAsync(new RetriedWork(kind, spins), delay) : await jobs.ScheduleAsync(new Work(kind, spins), delay)),
                };
                if (accepted)
                {
                    Interlocked.Increment(ref _accepted);
                    host.Ledger.Accept(id);
                    board.Add(id);
                }
            }
            catch (QueueFullException)
            {
                Interlocked.Increment(ref _queueFull);
            }
            catch (InvalidOperationException)
            {
                Interlocked.Increment(ref _stoppingThrows);
                if (!_stopRequested)
                {
                    Interlocked.Increment(ref _threwBeforeStop);
                }
            }
        }
    }

    /// <summary>Cancels random known ids until the producers are done; records each <c>Cancel</c> that returned true.</summary>
    public async Task CancelAsync(int seed)
    {
        var random = new Random(seed);
        var jobs = host.Jobs;
        while (!_producersDone)
        {
            if (board.TryPick(random, out var id))
            {
                Interlocked.Increment(ref _cancelAttempts);
                if (jobs.Cancel(id))
                {
                    host.Ledger.Cancelled(id);
                }
            }

            // Share the two cores with the producers and workers instead of spinning on one.
            await Task.Yield();
        }
    }

    public string Summary =>
        $"calls {Calls} of {totalCalls} (stop at call {stopAtCall}): accepted {Accepted}, TryEnqueue false {Refused}, " +
        $"QueueFullException {QueueFull}, stopping {StoppingThrows}; cancel attempts {CancelAttempts}";

    private (bool Accepted, JobId Id) TryEnqueue(IJobQueue jobs, bool retried, WorkKind kind, int spins)
    {
        JobId id;
        var accepted = retried ? jobs.TryEnqueue(new RetriedWork(kind, spins), out id) : jobs.TryEnqueue(new Work(kind, spins), out id);
        if (!accepted)
        {
            Interlocked.Increment(ref _refused);
            if (id != default)
            {
                Interlocked.Increment(ref _refusedWithId);
            }
        }

        return (accepted, id);
    }

    private static WorkKind PickKind(Random random) => random.Next(100) switch
    {
        < 45 => WorkKind.Succeed,
        < 60 => WorkKind.Throw,
        < 75 => WorkKind.FailFirstRun,
        _ => WorkKind.Cooperative,
    };
}

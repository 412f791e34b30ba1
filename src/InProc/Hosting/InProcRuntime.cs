using System.Collections.Frozen;
using InProc.Diagnostics;
using InProc.Execution;
using InProc.Monitoring;
using InProc.Queues;
using InProc.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InProc.Hosting;

/// <summary>
/// The runtime: registry, queues and their workers, scheduler, monitor records and the drain. One per
/// service provider. Reading the options here runs their validation, so a misconfiguration fails on first use
/// even without a host.
/// </summary>
internal sealed partial class InProcRuntime : IJobQueue, IJobOutcomeSink, IDisposable
{
    private readonly InProcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrozenDictionary<Type, JobRegistration> _registry;
    private readonly ChannelQueue[] _queues;
    private readonly Scheduler _scheduler;
    private readonly JobExecutor _executor;
    private readonly JobIdGenerator _ids;
    private readonly CancellationTokenSource _jobsStopping = new();
    private readonly Func<Envelope, Task> _executeOnWorker;
    private readonly Func<Envelope, bool> _skipOnWorker;
    private readonly Action<Envelope, Exception> _onWorkerFault;
    private int _started;
    private volatile bool _stopping;
    private volatile bool _abandoning;

    public InProcRuntime(IOptions<InProcOptions> options, IServiceScopeFactory scopeFactory, IServiceProvider services)
    {
        _options = options.Value;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("InProc");
        _ids = new JobIdGenerator(_time);
        Tracker = new JobTracker(_time, _options.FinishedJobRetention, _options.FinishedJobRetentionPeriod);
        DeadLetters = new DeadLetterStore(_options.DeadLetterCapacity);
        IsSynchronous = _options.SynchronousMode;

        var onDropped = new Action<Envelope>(envelope => Abandon(envelope, AbandonReason.QueueFull));
        _queues = IsSynchronous ? [] : [.. _options.Queues.Select(q => new ChannelQueue(q, onDropped))];
        var queuesByName = _queues.ToDictionary(q => q.Name, StringComparer.Ordinal);
        _registry = BuildRegistry(_options, queuesByName);

        Metrics = new InProcMetrics(services.GetService<System.Diagnostics.Metrics.IMeterFactory>(), _queues, _time);
        Tracker.StateChanged += Metrics.OnStateChanged;

        _executor = new JobExecutor(scopeFactory, _time, [.. _options.Middleware], this);
        _scheduler = new Scheduler(_time, OnDue);
        _executeOnWorker = envelope => _executor.ExecuteAsync(envelope, _jobsStopping.Token);
        _skipOnWorker = envelope =>
        {
            if (!_abandoning)
            {
                return false;
            }

            Abandon(envelope, AbandonReason.Shutdown);
            return true;
        };
        _onWorkerFault = (envelope, ex) => Log.WorkerFault(_logger, ex, envelope.Registration.QueueName, envelope.Id);
    }

    public JobTracker Tracker { get; }

    public InProcMetrics Metrics { get; }

    public DeadLetterStore DeadLetters { get; }

    public bool IsSynchronous { get; }

    public TimeProvider Time => _time;

    public IReadOnlyList<ChannelQueue> Queues => _queues;

    public int ScheduledCount => _scheduler.Count;

    /// <summary>Starts the workers. Jobs enqueued before this wait in their queues.</summary>
    public void Start()
    {
        if (IsSynchronous || Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        ThrowIfStopping();
        foreach (var queue in _queues)
        {
            queue.Start(_executeOnWorker, _skipOnWorker, _onWorkerFault);
        }

        Log.Started(_logger, _queues.Length, _queues.Sum(q => q.Workers));
    }

    public void Dispose()
    {
        _scheduler.Dispose();
        _jobsStopping.Dispose();
        Metrics.Dispose();
    }

    private static FrozenDictionary<Type, JobRegistration> BuildRegistry(InProcOptions options, Dictionary<string, ChannelQueue> queues)
    {
        var registry = new Dictionary<Type, JobRegistration>();
        foreach (var job in options.Jobs)
        {
            foreach (var messageType in job.MessageTypes)
            {
                var registration = JobRegistration.Create(
                    messageType,
                    job.JobType,
                    job.Options.Queue,
                    job.Options.Retry ?? options.DefaultRetry,
                    job.Options.Timeout ?? options.DefaultTimeout);
                registration.Queue = queues.GetValueOrDefault(job.Options.Queue);
                registry[messageType] = registration;
            }
        }

        return registry.ToFrozenDictionary();
    }

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw new InvalidOperationException(
                "InProc is stopping (the application is shutting down), so no new job can be enqueued. " +
                "Enqueue jobs while the host runs; jobs that must survive a restart need the durable journal.");
        }
    }
}

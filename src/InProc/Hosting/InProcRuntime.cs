using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Limits;
using InProc.Queues;
using InProc.Recurring;
using InProc.Scheduling;
using InProc.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InProc.Hosting;

/// <summary>
/// The composition root, one per service provider: it builds admission → store → dispatcher → executor →
/// lifecycle, connects the scheduler's output to the dispatcher, and implements <see cref="IJobQueue"/> by
/// passing each call down that one-way path. Reading the options here runs their validation.
/// </summary>
internal sealed partial class InProcRuntime : IJobQueue, IRecurringJobSink, IDisposable
{
    private readonly InProcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JobAdmission _admission;
    private readonly Scheduler _scheduler;
    private readonly RunState _state = new();
    private readonly IJobDispatcher _dispatcher;
    private readonly ChannelDispatcher? _channels;
    private readonly InlineDispatcher? _inline;
    private readonly bool _hosted;
    private readonly UniqueAdmission _unique;
    private readonly LimitReleaser? _releaser;
    private int _started;

    public InProcRuntime(IOptions<InProcOptions> options, IServiceScopeFactory scopeFactory, IServiceProvider services)
    {
        _options = options.Value;
        RegistrationCheck.ThrowIfUnresolvable(_options, services);
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = new GuardedLogger((services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("InProc"));
        _hosted = services.GetService<IHostApplicationLifetime>() is not null;
        IsSynchronous = _options.SynchronousMode;

        var queues = IsSynchronous ? [] : _options.Queues.Select(q => new ChannelQueue(q)).ToArray();
        _admission = new JobAdmission(BuildRegistry(_options), _time);

        var store = CreateStore(services);
        var feed = new ChangeFeed(_logger);
        Lifecycle = new JobLifecycle(store, feed, new HookRunner(_logger), _logger, _time, _options);
        Metrics = new InProcMetrics(services.GetService<System.Diagnostics.Metrics.IMeterFactory>(), queues, _time);
        feed.Subscribe(Metrics);

        // Unique keys and limits: composed only when a registration has some, so plain jobs meet no observer and no gate.
        // A durable store registers its own key store (internal: its package sees InProc's internals, as for IJobStore).
        var uniqueKeys = services.GetService<IUniqueKeyStore>() ?? new MemoryUniqueKeyStore();
        _unique = new UniqueAdmission(uniqueKeys, Metrics, _logger);
        _scheduler = new Scheduler(_time, _logger);
        var limited = _admission.Registry.Values.Any(r => r.Limits is not null);
        if (limited)
        {
            _releaser = new LimitReleaser(uniqueKeys, Lifecycle, Metrics, _time, _logger);
            feed.Subscribe(_releaser);
        }

        var executor = new JobExecutor(scopeFactory, _time, [.. _options.Middleware]);
        var gate = limited ? new LimitGate(Lifecycle, _scheduler, Metrics, _time, _logger) : null;
        var runner = new AttemptRunner(Lifecycle, executor, _scheduler, _state, _logger, retries: !IsSynchronous || _options.SynchronousRetries, gate);
        if (IsSynchronous)
        {
            _inline = new InlineDispatcher(runner);
            _scheduler.Connect(_inline);
            _dispatcher = _inline;
            _releaser?.Connect(_inline.RunQuietly);
        }
        else
        {
            _channels = new ChannelDispatcher(queues, runner, _state, _logger);
            _scheduler.Connect(_channels);
            _dispatcher = ConnectClaims(store, _channels);
            _releaser?.Connect(_channels.Dispatch);
        }

        if (_options.RecurringJobs.Count > 0)
        {
            var entries = RecurringEntry.Build(_options.RecurringJobs, _admission.Registry, _options.Queues);
            var recurringState = (store as IDurableJobStore)?.RecurringState ?? new MemoryRecurringStateStore();
            Recurring = new RecurringRunner(entries, recurringState, store, services, _time, _logger, Metrics.Meter);
            feed.Subscribe(Recurring);

            // No host starts the test modes: their schedules are armed as soon as InProc is built, so advancing a fake
            // clock runs (synchronous mode) or records (fake mode) what came due, on the thread that advanced it.
            if (IsSynchronous)
            {
                Recurring.Start();
            }
        }
    }

    public JobLifecycle Lifecycle { get; }

    public IJobStore Store => Lifecycle.Store;

    public InProcMetrics Metrics { get; }

    public bool IsSynchronous { get; }

    public TimeProvider Time => _time;

    public IReadOnlyList<ChannelQueue> Queues => _channels?.Queues ?? [];

    /// <summary>When <see cref="Start"/> started the workers; null before.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>This process, as <see cref="IJobMonitor.GetHosts"/> names it for a store that is not shared.</summary>
    public string HostName { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The recurring jobs' runner, or null when none is registered.</summary>
    public RecurringRunner? Recurring { get; }

    /// <summary>Starts the workers. Jobs enqueued before this wait in their queues.</summary>
    public void Start()
    {
        // Under the stop's lock: a stop that overlaps a start sees either no workers (and reports what is queued)
        // or all of them (and drains them), never a half-started runtime.
        lock (_stopLock)
        {
            if (_channels is null || _started == 1)
            {
                return;
            }

            ThrowIfStopping();
            Recover(); // before the workers: what an earlier process left is queued first
            _channels.Start();
            (Store as IClaimingJobStore)?.StartClaiming((IClaimSink)_dispatcher);
            StartedAt = _time.GetUtcNow();
            Volatile.Write(ref _started, 1);
            Recurring?.Start(); // after the workers: a run due at once has a worker to go to
        }
    }

    public ValueTask<JobId> EnqueueAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default)
    {
        var now = _admission.Now();
        var envelope = Prepare(message, now, dueAt: null, out var holder, out var holderStored);
        if (holderStored is not null)
        {
            return AfterHolderAsync(envelope!, now, holderStored, EnqueuePrepared, cancellationToken);
        }

        return envelope is null ? new ValueTask<JobId>(holder) : EnqueuePrepared(envelope, cancellationToken);
    }

    public bool TryEnqueue<TMessage>(TMessage message, out JobId id)
    {
        var envelope = Admit(message, _admission.Now(), out id);
        if (envelope is null)
        {
            return true; // a duplicate: the job holding the key exists
        }

        id = envelope.Id;
        if (_dispatcher.TryEnqueue(envelope))
        {
            return true;
        }

        id = default;
        return false;
    }

    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var now = _admission.Now();
        return ScheduleAt(message, JobAdmission.DueAfter(now, delay), now, cancellationToken);
    }

    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, DateTimeOffset runAt, CancellationToken cancellationToken = default) =>
        ScheduleAt(message, runAt, _admission.Now(), cancellationToken);

    public bool Cancel(JobId id)
    {
        if (Store.FindActive(id) is not { } envelope || !Lifecycle.TryCancel(envelope))
        {
            return false;
        }

        _dispatcher.OnCancelled(envelope);
        return true;
    }

    /// <summary>A scheduled or retrying job goes to its queue now; its heap entry is skipped when it comes due.</summary>
    public bool RunNow(JobId id)
    {
        ThrowIfStopping();
        if (Store.FindActive(id) is not { } envelope || !Lifecycle.TryMakeDue(envelope))
        {
            return false;
        }

        _dispatcher.Dispatch(envelope);
        return true;
    }

    /// <summary>Puts a dead letter back in its queue with fresh attempts (a compare-and-set: one caller wins).</summary>
    public bool Requeue(JobId id)
    {
        ThrowIfStopping();
        if (Lifecycle.TryRequeue(id) is not { } envelope)
        {
            return false;
        }

        _dispatcher.Dispatch(envelope);
        return true;
    }

    /// <summary>A recurring run: admitted as a due job, so a full queue parks it in its due backlog instead of holding the timer.</summary>
    JobId IRecurringJobSink.EnqueueDue(object message)
    {
        var envelope = Admit(message, _admission.Now(), out var holder);
        if (envelope is null)
        {
            return holder;
        }

        _dispatcher.Dispatch(envelope);
        return envelope.Id;
    }

    public void Dispose()
    {
        (Store as IDurableJobStore)?.Close();
        Recurring?.Dispose();
        _scheduler.Dispose();
        _state.Dispose();
        Metrics.Dispose();
    }

    /// <summary>The fake mode's seam: records a job as <see cref="EnqueueAsync{TMessage}"/> would (same checks, id, state), without running it.</summary>
    /// <returns>The recorded envelope, or null for a duplicate of a unique job (then <paramref name="holder"/> is the job holding the key).</returns>
    public Envelope? RecordForFake<TMessage>(TMessage message, DateTimeOffset? runAt, out JobId holder) => Admit(message, _admission.Now(), out holder, runAt);

    /// <summary>Runs a recorded envelope now, as synchronous mode's <see cref="EnqueueAsync{TMessage}"/> does: its failure is thrown.</summary>
    public ValueTask<JobId> RunFakeAsync(Envelope envelope)
    {
        Lifecycle.TryMakeDue(envelope); // a recorded scheduled job runs whatever its time
        return _inline!.RunAsync(envelope, limits: false); // fake mode runs what the test asks: no concurrency or rate wait
    }

    private void ThrowIfStopping()
    {
        if (_state.IsStopping)
        {
            throw StopErrors.Stopping();
        }
    }
}

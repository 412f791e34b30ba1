using InProc.Execution;
using InProc.Hosting;
using InProc.Monitoring;
using InProc.Queues;

namespace InProc;

/// <summary>
/// Settings of the InProc runtime, given to <c>services.AddInProc(o =&gt; ...)</c>. Checked when the host starts
/// (or on first use without a host); an invalid value fails with one message that lists every problem.
/// </summary>
public sealed class InProcOptions
{
    private readonly Dictionary<string, QueueOptions> _queues = new(StringComparer.Ordinal);
    private readonly List<string> _queueOrder = [];

    /// <summary>Creates the options with the <c>"default"</c> queue.</summary>
    public InProcOptions() => AddQueue(QueueConstants.DefaultQueueName);

    /// <summary>Gets or sets how long stopping waits for the queues to drain before running jobs are cancelled.</summary>
    /// <value>The default is 25 seconds, inside the 30 seconds Heroku and Kubernetes allow after SIGTERM.</value>
    public TimeSpan ShutdownTimeout { get; set; } = HostingConstants.DefaultShutdownTimeout;

    /// <summary>Gets or sets how long running jobs get to stop after their tokens are cancelled at shutdown.</summary>
    /// <value>The default is 3 seconds. A job still running after it is reported as abandoned, and stopping returns.</value>
    public TimeSpan ShutdownGracePeriod { get; set; } = HostingConstants.DefaultShutdownGracePeriod;

    /// <summary>Gets or sets the retry policy of jobs that do not set <see cref="JobOptions.Retry"/>.</summary>
    /// <value>The default is <see cref="RetryPolicy.Exponential"/> with 5 attempts, 2 s base delay doubling to at most 5 minutes, with jitter.</value>
    public RetryPolicy DefaultRetry { get; set; } = RetryPolicy.Exponential();

    /// <summary>Gets or sets the timeout of one attempt for jobs that do not set <see cref="JobOptions.Timeout"/>.</summary>
    /// <value>The default is <see langword="null"/>: no timeout.</value>
    public TimeSpan? DefaultTimeout { get; set; }

    /// <summary>Gets or sets how many finished jobs <see cref="IJobMonitor.GetJob"/> still knows about.</summary>
    /// <value>The default is 10,000; older records are forgotten first.</value>
    public int FinishedJobRetention { get; set; } = MonitoringConstants.DefaultFinishedJobRetention;

    /// <summary>Gets or sets how long <see cref="IJobMonitor.GetJob"/> still knows about a finished job.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan FinishedJobRetentionPeriod { get; set; } = MonitoringConstants.DefaultFinishedJobRetentionPeriod;

    /// <summary>Gets or sets how many failed jobs the dead letters keep.</summary>
    /// <value>The default is 1,000; when full, the oldest dead letter is dropped (and logged).</value>
    public int DeadLetterCapacity { get; set; } = MonitoringConstants.DefaultDeadLetterCapacity;

    /// <summary>Gets or sets a callback for every job that will not run to completion: dropped by a full queue, or not finished at shutdown.</summary>
    /// <value>The default is <see langword="null"/>. Every abandoned job is also logged with its id and type. An exception the callback throws is logged and ignored.</value>
    public Action<JobAbandonedArguments>? OnAbandoned { get; set; }

    /// <summary>Gets or sets a callback for every failed attempt, for sending failures to an error tracker.</summary>
    /// <value>The default is <see langword="null"/>. An exception the callback throws is logged and ignored.</value>
    public Action<JobFailedArguments>? OnJobFailed { get; set; }

    /// <summary>Gets the configured queues, the <c>"default"</c> queue first.</summary>
    /// <value>The queues in the order they were added.</value>
    public IReadOnlyList<QueueOptions> Queues => _queueOrder.ConvertAll(name => _queues[name]);

    /// <summary>Adds a named queue, or configures it again if it exists (the <c>"default"</c> queue always does).</summary>
    /// <param name="name">The queue name that <see cref="JobOptions.Queue"/> refers to.</param>
    /// <param name="configure">Sets the queue's workers, capacity and full mode.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public InProcOptions AddQueue(string name, Action<QueueOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_queues.TryGetValue(name, out var queue))
        {
            queue = new QueueOptions(name);
            _queues.Add(name, queue);
            _queueOrder.Add(name);
        }

        configure?.Invoke(queue);
        return this;
    }

    internal List<JobRegistrationInfo> Jobs { get; } = [];

    internal List<Type> Middleware { get; } = [];

    internal List<Recurring.RecurringJobRegistration> RecurringJobs { get; } = [];

    /// <summary>What <c>AddInProc(IConfiguration)</c> could not bind (unknown keys, wrong types), each naming its key path; reported at start-up.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    internal bool SynchronousMode { get; set; }

    /// <summary>In synchronous mode, retry failed jobs by their policy (the retries run from the clock).</summary>
    internal bool SynchronousRetries { get; set; }

    internal QueueOptions? FindQueue(string name) => _queues.GetValueOrDefault(name);
}

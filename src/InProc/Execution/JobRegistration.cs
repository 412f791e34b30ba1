using System.Diagnostics.CodeAnalysis;

namespace InProc.Execution;

/// <summary>
/// The resolved settings of one message type: its job, queue, retry policy and timeout. The generic subclass
/// creates typed envelopes, so enqueueing and dispatch need no reflection.
/// </summary>
internal abstract class JobRegistration
{
    private string? _name;

    private protected JobRegistration(Type jobType, string queueName, RetryPolicy retry, TimeSpan? timeout)
    {
        JobType = jobType;
        QueueName = queueName;
        Retry = retry;
        Timeout = timeout;
    }

    public abstract Type MessageType { get; }

    public Type JobType { get; }

    public string QueueName { get; }

    public RetryPolicy Retry { get; }

    public TimeSpan? Timeout { get; }

    /// <summary>
    /// The stable name a store writes for the message type: its <see cref="JobMessageNameAttribute"/>, else the CLR
    /// full name. An envelope read back from a store finds its registration by it.
    /// </summary>
    public string Name => _name ??= StableName(MessageType);

    /// <summary>The position of the job's queue among the configured queues (an index, not a queue object).</summary>
    public int QueueIndex { get; set; } = -1;

    /// <summary>This runtime's unique key and limits of the job, or null when it has none (the common case: one null check).</summary>
    public Limits.RegistrationLimits? Limits { get; set; }

    /// <summary>Creates the registration for <paramref name="messageType"/> at start-up.</summary>
    [UnconditionalSuppressMessage("AotAnalysis", "IL3050", Justification = "Message types come from IJob<T> implementations registered in code.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "JobRegistration<T> has no members trimmed by the construction.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The constructor is public and kept by the DynamicDependency below.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(JobRegistration<>))]
    public static JobRegistration Create(Type messageType, Type jobType, string queueName, RetryPolicy retry, TimeSpan? timeout) =>
        (JobRegistration)Activator.CreateInstance(
            typeof(JobRegistration<>).MakeGenericType(messageType),
            jobType, queueName, retry, timeout)!;

    /// <summary>The stored name of <paramref name="messageType"/>: its <see cref="JobMessageNameAttribute"/>, else its full name.</summary>
    public static string StableName(Type messageType) =>
        (Attribute.GetCustomAttribute(messageType, typeof(JobMessageNameAttribute), inherit: false) as JobMessageNameAttribute)?.Name
        ?? messageType.FullName ?? messageType.Name;

    /// <summary>Creates an envelope for a message whose static type was not the registered one (e.g. enqueued as <c>object</c>).</summary>
    public abstract Envelope CreateEnvelope(object message, JobId id, DateTimeOffset createdAt, int attempt, bool captureTrace);
}

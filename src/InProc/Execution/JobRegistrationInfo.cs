using InProc.Limits;

namespace InProc.Execution;

/// <summary>What one <c>AddJob&lt;TJob&gt;()</c> call recorded, checked at start-up.</summary>
internal sealed class JobRegistrationInfo(Type jobType, Type[] messageTypes, JobOptions options, JobLimits? limits = null)
{
    public Type JobType { get; } = jobType;

    /// <summary>The <c>T</c> of every <c>IJob&lt;T&gt;</c> the job class implements; empty when it implements none.</summary>
    public Type[] MessageTypes { get; } = messageTypes;

    public JobOptions Options { get; } = options;

    /// <summary>The unique key and limits of <see cref="JobLimits.MessageType"/> (<c>AddJob&lt;TJob, TMessage&gt;</c>), or null.</summary>
    public JobLimits? Limits { get; } = limits;
}

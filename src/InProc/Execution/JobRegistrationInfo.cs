namespace InProc.Execution;

/// <summary>What one <c>AddJob&lt;TJob&gt;()</c> call recorded, checked at start-up.</summary>
internal sealed class JobRegistrationInfo(Type jobType, Type[] messageTypes, JobOptions options)
{
    public Type JobType { get; } = jobType;

    /// <summary>The <c>T</c> of every <c>IJob&lt;T&gt;</c> the job class implements; empty when it implements none.</summary>
    public Type[] MessageTypes { get; } = messageTypes;

    public JobOptions Options { get; } = options;
}

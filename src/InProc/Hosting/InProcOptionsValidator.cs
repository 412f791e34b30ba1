using InProc.Lifecycle;
using Microsoft.Extensions.Options;

namespace InProc.Hosting;

/// <summary>
/// Checks the options and the job registrations together, at start-up (ValidateOnStart) or on first use,
/// and reports every problem at once, each saying what to change.
/// </summary>
internal sealed class InProcOptionsValidator : IValidateOptions<InProcOptions>
{
    /// <summary>The most finished records or dead letters kept: beyond it the memory is no longer "bounded" in any useful sense.</summary>
    public const int MaxRetained = 1_000_000;

    private static readonly TimeSpan MaxTimer = TimeMath.MaxTimerDelay;

    public ValidateOptionsResult Validate(string? name, InProcOptions options)
    {
        var errors = new List<string>(options.ConfigurationErrors);
        CheckRuntime(options, errors);
        foreach (var queue in options.Queues)
        {
            CheckQueue(queue, errors);
        }

        CheckJobs(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckRuntime(InProcOptions options, List<string> errors)
    {
        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > MaxTimer)
        {
            errors.Add($"InProcOptions.ShutdownTimeout is {options.ShutdownTimeout}; it must be zero or positive and at most {MaxTimer} (what a timer can wait; the default is 25 s).");
        }

        if (options.ShutdownGracePeriod < TimeSpan.Zero || options.ShutdownGracePeriod > MaxTimer)
        {
            errors.Add($"InProcOptions.ShutdownGracePeriod is {options.ShutdownGracePeriod}; it must be zero or positive and at most {MaxTimer} (the default is 3 s).");
        }

        if (options.DefaultRetry is null)
        {
            errors.Add("InProcOptions.DefaultRetry is null; set a policy, or RetryPolicy.None for no retries.");
        }

        if (options.DefaultTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimer))
        {
            errors.Add($"InProcOptions.DefaultTimeout is {timeout}; it must be positive and at most {MaxTimer} (what a timer can wait), or null for no timeout.");
        }

        if (options.FinishedJobRetention is < 0 or > MaxRetained)
        {
            errors.Add($"InProcOptions.FinishedJobRetention is {options.FinishedJobRetention}; it must be from 0 to at most {MaxRetained:N0} (the default is 10,000; the ring is allocated at start).");
        }

        if (options.FinishedJobRetentionPeriod <= TimeSpan.Zero)
        {
            errors.Add($"InProcOptions.FinishedJobRetentionPeriod is {options.FinishedJobRetentionPeriod}; it must be positive (the default is 1 hour).");
        }

        if (options.DeadLetterCapacity is < 0 or > MaxRetained)
        {
            errors.Add($"InProcOptions.DeadLetterCapacity is {options.DeadLetterCapacity}; it must be from 0 to at most {MaxRetained:N0} (the default is 1,000).");
        }
    }

    private static void CheckQueue(QueueOptions queue, List<string> errors)
    {
        if (queue.Workers < 1)
        {
            errors.Add($"Queue '{queue.Name}' has Workers = {queue.Workers}; it needs at least 1 worker to run jobs. Set q.Workers in AddQueue(\"{queue.Name}\", q => ...).");
        }

        if (queue.Capacity < 1)
        {
            errors.Add($"Queue '{queue.Name}' has Capacity = {queue.Capacity}; it must hold at least 1 job. Set q.Capacity in AddQueue(\"{queue.Name}\", q => ...).");
        }

        if (!Enum.IsDefined(queue.FullMode))
        {
            errors.Add($"Queue '{queue.Name}' has FullMode = {(int)queue.FullMode}, which is not a QueueFullMode value.");
        }
    }

    private static void CheckJobs(InProcOptions options, List<string> errors)
    {
        var handlers = new Dictionary<Type, Type>();
        foreach (var job in options.Jobs)
        {
            var jobName = job.JobType.Name;
            if (job.MessageTypes.Length == 0)
            {
                errors.Add($"Job class '{job.JobType.FullName}' was registered with AddJob<{jobName}>() but implements no IJob<TMessage>. Implement IJob<YourMessage> on it, or remove the AddJob call.");
            }

            if (job.Options.Queue is null)
            {
                errors.Add($"Job '{jobName}' has JobOptions.Queue = null; set it to a configured queue's name (the default is \"default\"), in AddJob<{jobName}>(j => j.Queue = \"...\").");
            }
            else if (options.FindQueue(job.Options.Queue) is null)
            {
                errors.Add($"Job '{jobName}' uses queue '{job.Options.Queue}', which is not configured. Add it with o.AddQueue(\"{job.Options.Queue}\", q => ...) in AddInProc, or fix JobOptions.Queue.");
            }

            if (job.Options.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimer))
            {
                errors.Add($"Job '{jobName}' has Timeout = {timeout}; it must be positive and at most {MaxTimer} (what a timer can wait), or null for the default.");
            }

            foreach (var messageType in job.MessageTypes)
            {
                if (handlers.TryGetValue(messageType, out var other))
                {
                    errors.Add($"Message type '{messageType.Name}' has two jobs, '{other.Name}' and '{jobName}'; a message type runs exactly one job. Remove one AddJob call, or give one job its own message type.");
                }
                else
                {
                    handlers.Add(messageType, job.JobType);
                }
            }
        }
    }
}

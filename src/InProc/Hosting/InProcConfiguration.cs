using Microsoft.Extensions.Configuration;

namespace InProc.Hosting;

/// <summary>
/// Binds an <c>"InProc"</c> configuration section onto <see cref="InProcOptions"/>, by hand rather than with the
/// reflection binder: queues are keyed by name into <see cref="InProcOptions.AddQueue"/>, a retry section becomes a
/// <see cref="RetryPolicy"/>, and an unknown key or a value of the wrong type becomes a start-up error naming its
/// path, where the binder would ignore it. Trim-safe, too.
/// </summary>
/// <remarks>
/// Two passes. <see cref="BindOptions"/> runs as a Configure step, before the <c>Action</c> given next to the
/// section, so code wins over configuration for the runtime and queue settings. <see cref="BindRegistrations"/>
/// runs as a PostConfigure step, once every <c>AddJob</c> and <c>AddRecurringJob</c> has recorded its job: there
/// configuration wins over the job's lambda, so an operator can move a job to another queue or change its
/// timeout without a rebuild.
/// </remarks>
internal static class InProcConfiguration
{
    private const string JobsKey = "Jobs";
    private const string RecurringJobsKey = "RecurringJobs";
    private const string QueuesKey = "Queues";

    private static readonly Dictionary<string, Action<IConfigurationSection, InProcOptions, List<string>>> RuntimeKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(InProcOptions.ShutdownTimeout)] = (s, o, e) => { if (ConfigurationValues.TryTimeSpan(s, e, out var v)) { o.ShutdownTimeout = v; } },
        [nameof(InProcOptions.ShutdownGracePeriod)] = (s, o, e) => { if (ConfigurationValues.TryTimeSpan(s, e, out var v)) { o.ShutdownGracePeriod = v; } },
        [nameof(InProcOptions.DefaultRetry)] = (s, o, e) => o.DefaultRetry = RetryConfiguration.Bind(s, o.DefaultRetry ?? RetryPolicy.Exponential(), e),
        [nameof(InProcOptions.DefaultTimeout)] = (s, o, e) => { if (ConfigurationValues.TryNullableTimeSpan(s, e, out var v)) { o.DefaultTimeout = v; } },
        [nameof(InProcOptions.FinishedJobRetention)] = (s, o, e) => { if (ConfigurationValues.TryInt(s, e, out var v)) { o.FinishedJobRetention = v; } },
        [nameof(InProcOptions.FinishedJobRetentionPeriod)] = (s, o, e) => { if (ConfigurationValues.TryTimeSpan(s, e, out var v)) { o.FinishedJobRetentionPeriod = v; } },
        [nameof(InProcOptions.DeadLetterCapacity)] = (s, o, e) => { if (ConfigurationValues.TryInt(s, e, out var v)) { o.DeadLetterCapacity = v; } },
        [QueuesKey] = BindQueues,
        [JobsKey] = static (_, _, _) => { }, // the second pass
        [RecurringJobsKey] = static (_, _, _) => { }, // the second pass
    };

    private static readonly Dictionary<string, Action<IConfigurationSection, QueueOptions, List<string>>> QueueKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(QueueOptions.Workers)] = (s, q, e) => { if (ConfigurationValues.TryInt(s, e, out var v)) { q.Workers = v; } },
        [nameof(QueueOptions.Capacity)] = (s, q, e) => { if (ConfigurationValues.TryInt(s, e, out var v)) { q.Capacity = v; } },
        [nameof(QueueOptions.FullMode)] = (s, q, e) => { if (ConfigurationValues.TryEnum<QueueFullMode>(s, e, out var v)) { q.FullMode = v; } },
    };

    private static readonly Dictionary<string, Action<IConfigurationSection, (JobOptions Job, InProcOptions Options), List<string>>> JobKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(JobOptions.Queue)] = (s, j, e) => { if (ConfigurationValues.TryString(s, e, out var v)) { j.Job.Queue = v; } },
        [nameof(JobOptions.Timeout)] = (s, j, e) => { if (ConfigurationValues.TryNullableTimeSpan(s, e, out var v)) { j.Job.Timeout = v; } },
        [nameof(JobOptions.Retry)] = (s, j, e) => j.Job.Retry = RetryConfiguration.Bind(s, j.Job.Retry ?? j.Options.DefaultRetry ?? RetryPolicy.Exponential(), e),
    };

    private static readonly Dictionary<string, Action<IConfigurationSection, RecurringJobOptions, List<string>>> RecurringKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(RecurringJobOptions.TimeZone)] = (s, r, e) => { if (ConfigurationValues.TryString(s, e, out var v)) { r.TimeZone = v; } },
        [nameof(RecurringJobOptions.Queue)] = (s, r, e) => { if (ConfigurationValues.TryString(s, e, out var v)) { r.Queue = v.Length == 0 ? null : v; } },
        [nameof(RecurringJobOptions.Misfire)] = (s, r, e) => { if (ConfigurationValues.TryEnum<MisfirePolicy>(s, e, out var v)) { r.Misfire = v; } },
        [nameof(RecurringJobOptions.MisfireThreshold)] = (s, r, e) => { if (ConfigurationValues.TryTimeSpan(s, e, out var v)) { r.MisfireThreshold = v; } },
        [nameof(RecurringJobOptions.MaxCatchUpRuns)] = (s, r, e) => { if (ConfigurationValues.TryInt(s, e, out var v)) { r.MaxCatchUpRuns = v; } },
        [nameof(RecurringJobOptions.Overlap)] = (s, r, e) => { if (ConfigurationValues.TryEnum<OverlapPolicy>(s, e, out var v)) { r.Overlap = v; } },
        [nameof(RecurringJobOptions.Enabled)] = (s, r, e) => { if (ConfigurationValues.TryBool(s, e, out var v)) { r.Enabled = v; } },
    };

    /// <summary>The first pass: runtime settings and queues.</summary>
    public static void BindOptions(IConfiguration section, InProcOptions options)
    {
        if (section is IConfigurationSection { Value: { Length: > 0 } } valued)
        {
            options.ConfigurationErrors.Add($"{valued.Path}: expected the InProc section (ShutdownTimeout, Queues, Jobs, ...), found the value '{valued.Value}'.");
            return;
        }

        ConfigurationValues.Bind(section, options, RuntimeKeys, "The InProc section", options.ConfigurationErrors);
    }

    /// <summary>The second pass: the options of the jobs and recurring jobs registered by name.</summary>
    public static void BindRegistrations(IConfiguration section, InProcOptions options)
    {
        var errors = options.ConfigurationErrors;
        var jobs = section.GetSection(JobsKey);
        if (jobs.Exists() && ConfigurationValues.IsSection(jobs, "a section of jobs keyed by job class name", errors))
        {
            foreach (var entry in jobs.GetChildren())
            {
                if (FindJob(entry, options, errors) is { } job && ConfigurationValues.IsSection(entry, "the job's section (Queue, Timeout, Retry)", errors))
                {
                    ConfigurationValues.Bind(entry, (job, options), JobKeys, "A job", errors);
                }
            }
        }

        var recurring = section.GetSection(RecurringJobsKey);
        if (recurring.Exists() && ConfigurationValues.IsSection(recurring, "a section of recurring jobs keyed by name", errors))
        {
            foreach (var entry in recurring.GetChildren())
            {
                var match = options.RecurringJobs.Find(r => string.Equals(r.Name, entry.Key, StringComparison.Ordinal))
                    ?? options.RecurringJobs.Find(r => string.Equals(r.Name, entry.Key, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    errors.Add($"{entry.Path}: no recurring job is named '{entry.Key}'. Configuration sets the options of a recurring job added in code with AddRecurringJob(\"{entry.Key}\", ...); the recurring jobs are {List(options.RecurringJobs.Select(r => r.Name))}.");
                }
                else if (ConfigurationValues.IsSection(entry, "the recurring job's section", errors))
                {
                    ConfigurationValues.Bind(entry, match.Options, RecurringKeys, "A recurring job", errors);
                }
            }
        }
    }

    private static void BindQueues(IConfigurationSection queues, InProcOptions options, List<string> errors)
    {
        if (!ConfigurationValues.IsSection(queues, "a section of queues keyed by name", errors))
        {
            return;
        }

        foreach (var queue in queues.GetChildren())
        {
            if (ConfigurationValues.IsSection(queue, "the queue's section (Workers, Capacity, FullMode)", errors))
            {
                options.AddQueue(queue.Key, q => ConfigurationValues.Bind(queue, q, QueueKeys, "A queue", errors));
            }
        }
    }

    /// <summary>The job whose class is named <c>entry.Key</c> (short name, or full name when short names collide).</summary>
    private static JobOptions? FindJob(IConfigurationSection entry, InProcOptions options, List<string> errors)
    {
        var byFullName = options.Jobs.Find(j => string.Equals(j.JobType.FullName, entry.Key, StringComparison.OrdinalIgnoreCase));
        if (byFullName is not null)
        {
            return byFullName.Options;
        }

        var byName = options.Jobs.FindAll(j => string.Equals(j.JobType.Name, entry.Key, StringComparison.OrdinalIgnoreCase));
        switch (byName.Count)
        {
            case 1:
                return byName[0].Options;
            case 0:
                errors.Add($"{entry.Path}: no job class named '{entry.Key}' is registered. Configuration sets the options of a job added with AddJob<{entry.Key}>(); the registered jobs are {List(options.Jobs.Select(j => j.JobType.Name))}.");
                return null;
            default:
                errors.Add($"{entry.Path}: several registered job classes are named '{entry.Key}' ({List(byName.Select(j => j.JobType.FullName!))}); use the full name as the key.");
                return null;
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var all = string.Join(", ", names);
        return all.Length == 0 ? "none" : all;
    }
}

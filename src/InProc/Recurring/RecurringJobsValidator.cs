using Microsoft.Extensions.Options;

namespace InProc.Recurring;

/// <summary>
/// Checks every recurring job at start-up, beside <c>InProcOptionsValidator</c> (the options framework joins their
/// failures into one message): unique names, expressions Cronos parses and that fire, known time zones, a
/// registered job with a message per run, a configured queue and sane misfire settings.
/// </summary>
internal sealed class RecurringJobsValidator : IValidateOptions<InProcOptions>
{
    public ValidateOptionsResult Validate(string? name, InProcOptions options)
    {
        var errors = new List<string>();
        var seen = new Dictionary<string, RecurringJobRegistration>(StringComparer.Ordinal);
        foreach (var job in options.RecurringJobs)
        {
            if (seen.TryGetValue(job.Name, out var first))
            {
                errors.Add($"Recurring job '{job.Name}' is added twice (running '{first.JobType.Name}' and '{job.JobType.Name}'); names are unique. Rename one, or remove one AddRecurringJob call.");
                continue;
            }

            seen.Add(job.Name, job);
            CheckSchedule(job, errors);
            CheckJob(job, options, errors);
            CheckPolicies(job, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckSchedule(RecurringJobRegistration job, List<string> errors)
    {
        var parsed = RecurringSchedule.TryParseExpression(job.Name, job.Expression, out _, out _, out var expressionError);
        if (!parsed)
        {
            errors.Add(expressionError!);
        }

        if (!RecurringSchedule.TryFindTimeZone(job.Name, job.Options.TimeZone, out _, out var zoneError))
        {
            errors.Add(zoneError);
        }
        else if (parsed && !RecurringSchedule.Create(job.Name, job.Expression, job.Options.TimeZone).EverFires())
        {
            errors.Add($"Recurring job '{job.Name}' has the cron expression '{job.Expression}', which never fires: no date matches it. Check the day-of-month, month and day-of-week fields (when both day fields are set, a day must match both).");
        }
    }

    private static void CheckJob(RecurringJobRegistration job, InProcOptions options, List<string> errors)
    {
        if (job.MessageProblem is not null)
        {
            errors.Add(job.MessageProblem);
        }

        var registered = options.Jobs.FirstOrDefault(j => j.JobType == job.JobType);
        if (registered is null)
        {
            errors.Add($"Recurring job '{job.Name}' runs '{job.JobType.Name}', which is not registered. Add .AddJob<{job.JobType.Name}>() (it sets the job's queue, retry and timeout).");
        }

        if (job.Options.Queue is { } queue)
        {
            if (string.IsNullOrWhiteSpace(queue))
            {
                errors.Add($"Recurring job '{job.Name}' has an empty Queue; set a configured queue name, or null for the job's own queue.");
            }
            else if (options.FindQueue(queue) is null)
            {
                errors.Add($"Recurring job '{job.Name}' uses queue '{queue}', which is not configured. Add it with o.AddQueue(\"{queue}\", q => ...) in AddInProc, or leave r.Queue null for the job's own queue.");
            }
        }
    }

    private static void CheckPolicies(RecurringJobRegistration job, List<string> errors)
    {
        var o = job.Options;
        if (!Enum.IsDefined(o.Misfire))
        {
            errors.Add($"Recurring job '{job.Name}' has Misfire = {(int)o.Misfire}, which is not a MisfirePolicy value.");
        }

        if (!Enum.IsDefined(o.Overlap))
        {
            errors.Add($"Recurring job '{job.Name}' has Overlap = {(int)o.Overlap}, which is not an OverlapPolicy value.");
        }

        if (o.MisfireThreshold <= TimeSpan.Zero)
        {
            errors.Add($"Recurring job '{job.Name}' has MisfireThreshold = {o.MisfireThreshold}; it must be positive (the default is 1 minute). A timer always fires a little late, so with no threshold every slot would count as missed.");
        }

        if (o.Misfire == MisfirePolicy.RunAll && o.MaxCatchUpRuns < 1)
        {
            errors.Add($"Recurring job '{job.Name}' has Misfire = RunAll with MaxCatchUpRuns = {o.MaxCatchUpRuns}; it must be at least 1 (the default is 10), or use MisfirePolicy.Skip for no catch-up.");
        }
    }
}

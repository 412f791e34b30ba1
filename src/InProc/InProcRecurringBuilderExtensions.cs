using System.Diagnostics.CodeAnalysis;
using InProc.Recurring;
using Microsoft.Extensions.DependencyInjection;

namespace InProc;

/// <summary>
/// Adds recurring jobs: an ordinary <see cref="IJob{TMessage}"/> run on a cron schedule. Each run is a normal job
/// (id, retries, dead letters, status) of the job class, which must also be registered with
/// <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/> (that sets its queue, retry and timeout).
/// </summary>
/// <remarks>
/// Expressions are parsed by Cronos: 5 fields (minute hour day-of-month month day-of-week), 6 fields (seconds first),
/// or a macro such as <c>@daily</c>. When both day-of-month and day-of-week are set, a day must match both (Vixie cron
/// matches either). <c>H</c> picks a value from the job's name, the same on every host and after every restart.
/// A duplicate name, an invalid expression, an unknown time zone or an expression that never fires is a start-up error.
/// </remarks>
public static class InProcRecurringBuilderExtensions
{
    /// <summary>
    /// Runs <typeparamref name="TJob"/> on a cron schedule with a new message per run, created by the message type's
    /// public parameterless constructor: for example <c>AddRecurringJob&lt;PurgeDeletedUsersJob&gt;("purge", "0 3 * * *",
    /// r =&gt; r.TimeZone = "Europe/Berlin")</c>.
    /// </summary>
    /// <typeparam name="TJob">
    /// A class implementing exactly one <see cref="IJob{TMessage}"/>, whose message type has a public parameterless
    /// constructor; otherwise start-up fails saying to use
    /// <see cref="AddRecurringJob{TJob, TMessage}(InProcBuilder, string, string, Func{DateTimeOffset, TMessage}, Action{RecurringJobOptions}?)"/>.
    /// </typeparam>
    /// <param name="builder">The builder returned by <c>AddInProc</c>.</param>
    /// <param name="name">The schedule's unique name: how the monitor, logs and stores refer to it.</param>
    /// <param name="cronExpression">A 5-field or 6-field (seconds first) cron expression, or a macro such as <c>@hourly</c>.</param>
    /// <param name="configure">Sets the time zone, queue, misfire and overlap policies.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="cronExpression"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static InProcBuilder AddRecurringJob<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] TJob>(
        this InProcBuilder builder, string name, string cronExpression, Action<RecurringJobOptions>? configure = null)
        where TJob : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(cronExpression);

        var registration = RecurringJobRegistration.ForParameterlessMessage(name, cronExpression, typeof(TJob), Configure(configure));
        builder.Services.Configure<InProcOptions>(o => o.RecurringJobs.Add(registration));
        return builder;
    }

    /// <summary>
    /// Runs <typeparamref name="TJob"/> on a cron schedule with the message <paramref name="message"/> makes for each
    /// slot, so a nightly job knows which night it covers: for example
    /// <c>AddRecurringJob&lt;NightlyTotalsJob, NightlyTotals&gt;("totals", "0 1 * * *", slot =&gt; new NightlyTotals(slot.Date.AddDays(-1)))</c>.
    /// </summary>
    /// <typeparam name="TJob">The job class.</typeparam>
    /// <typeparam name="TMessage">The message a run sends to the job.</typeparam>
    /// <param name="builder">The builder returned by <c>AddInProc</c>.</param>
    /// <param name="name">The schedule's unique name: how the monitor, logs and stores refer to it.</param>
    /// <param name="cronExpression">A 5-field or 6-field (seconds first) cron expression, or a macro such as <c>@hourly</c>.</param>
    /// <param name="message">
    /// Makes the message of one run from its slot: the scheduled time (not the time it actually ran), in the schedule's
    /// time zone, so <c>slot.Date</c> is the local date. A catch-up run after a misfire gets the slot it stands for.
    /// </param>
    /// <param name="configure">Sets the time zone, queue, misfire and overlap policies.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="cronExpression"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static InProcBuilder AddRecurringJob<TJob, TMessage>(
        this InProcBuilder builder, string name, string cronExpression, Func<DateTimeOffset, TMessage> message, Action<RecurringJobOptions>? configure = null)
        where TJob : class, IJob<TMessage>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(cronExpression);
        ArgumentNullException.ThrowIfNull(message);

        var registration = RecurringJobRegistration.ForFactory<TJob, TMessage>(name, cronExpression, message, Configure(configure));
        builder.Services.Configure<InProcOptions>(o => o.RecurringJobs.Add(registration));
        return builder;
    }

    private static RecurringJobOptions Configure(Action<RecurringJobOptions>? configure)
    {
        var options = new RecurringJobOptions();
        configure?.Invoke(options);
        return options;
    }
}

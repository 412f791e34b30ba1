using System.Diagnostics.CodeAnalysis;
using InProc.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace InProc;

/// <summary>Returned by <c>services.AddInProc(...)</c>: registers jobs, middleware and modes.</summary>
public sealed class InProcBuilder
{
    internal InProcBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection InProc registers into.</summary>
    /// <value>The application's services.</value>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a job class for every <see cref="IJob{TMessage}"/> it implements. The class is resolved from a
    /// fresh scope per execution, so it may depend on scoped services.
    /// </summary>
    /// <typeparam name="TJob">A class implementing <see cref="IJob{TMessage}"/>. A class that implements none fails at start-up.</typeparam>
    /// <param name="configure">Sets the job's queue, timeout and retry policy.</param>
    /// <returns>This builder, for chaining.</returns>
    public InProcBuilder AddJob<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces | DynamicallyAccessedMemberTypes.PublicConstructors)] TJob>(Action<JobOptions>? configure = null)
        where TJob : class
    {
        var options = new JobOptions();
        configure?.Invoke(options);
        return Register<TJob>(options, limits: null);
    }

    /// <summary>
    /// Registers a job class like <see cref="AddJob{TJob}(Action{JobOptions}?)"/>, with settings that read its
    /// <typeparamref name="TMessage"/>: a unique key (<c>j.UniqueBy(m =&gt; m.OrderId)</c>), a concurrency limit per key
    /// (<c>j.ConcurrencyLimit(m =&gt; m.TenantId, 1)</c>) or a rate limit (<c>j.RateLimit(m =&gt; m.PartnerId, perSecond: 10)</c>).
    /// </summary>
    /// <typeparam name="TJob">The job class. Its other <see cref="IJob{TMessage}"/> message types, if any, get the queue, timeout and retry policy but no limits.</typeparam>
    /// <typeparam name="TMessage">The message type the unique key and limits read.</typeparam>
    /// <param name="configure">Sets the job's queue, timeout, retry policy, unique key and limits.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public InProcBuilder AddJob<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces | DynamicallyAccessedMemberTypes.PublicConstructors)] TJob, TMessage>(Action<JobOptions<TMessage>> configure)
        where TJob : class, IJob<TMessage>
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JobOptions<TMessage>(new JobOptions());
        configure(options);
        return Register<TJob>(options.Options, options.Limits.IsEmpty ? null : options.Limits);
    }

    private InProcBuilder Register<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces | DynamicallyAccessedMemberTypes.PublicConstructors)] TJob>(JobOptions options, Limits.JobLimits? limits)
        where TJob : class
    {
        var messageTypes = typeof(TJob).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IJob<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToArray();
        foreach (var messageType in messageTypes)
        {
            Services.AddTransient(typeof(IJob<>).MakeGenericType(messageType), typeof(TJob));
        }

        var registration = new JobRegistrationInfo(typeof(TJob), messageTypes, options, limits);
        Services.Configure<InProcOptions>(o => o.Jobs.Add(registration));
        return this;
    }

    /// <summary>
    /// Adds middleware that runs around every job execution. Middleware runs in registration order, the first
    /// registered outermost; one instance is resolved from the job's scope per execution.
    /// </summary>
    /// <typeparam name="TMiddleware">The middleware class.</typeparam>
    /// <returns>This builder, for chaining.</returns>
    public InProcBuilder UseMiddleware<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMiddleware>()
        where TMiddleware : class, IJobMiddleware
    {
        Services.AddTransient<TMiddleware>();
        Services.Configure<InProcOptions>(o => o.Middleware.Add(typeof(TMiddleware)));
        return this;
    }

    /// <summary>
    /// Runs every job on the caller: <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returns when the job has
    /// finished and throws the job's exception unchanged. For tests; no worker tasks run and no retries happen.
    /// Scheduled jobs run when the <see cref="TimeProvider"/> reaches their time (with a fake clock: when the test
    /// advances it, on the test's thread).
    /// </summary>
    /// <remarks>
    /// A job that runs from the clock (a scheduled job, or a retry) has no caller to throw to: its failure is recorded
    /// (dead letters, <see cref="InProcOptions.OnJobFailed"/>, the log) and the clock's <c>Advance</c> returns normally,
    /// having run every other job that came due. Works without a host: resolve <see cref="IJobQueue"/> from a plain
    /// service provider. A job over its concurrency or rate limit (<see cref="JobOptions{TMessage}"/>) waits as in
    /// production: the enqueue returns without running it, and it runs when the clock reaches its permit or the job of
    /// its key before it ends.
    /// </remarks>
    /// <returns>This builder, for chaining.</returns>
    public InProcBuilder UseSynchronousMode()
    {
        Services.Configure<InProcOptions>(o => o.SynchronousMode = true);
        return this;
    }

    /// <summary>
    /// Runs every job on the caller, like <see cref="UseSynchronousMode()"/>, with settings: for example
    /// <c>UseSynchronousMode(o =&gt; o.EnableRetries = true)</c> retries failed jobs when the clock reaches their backoff.
    /// </summary>
    /// <param name="configure">Sets the mode's options.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public InProcBuilder UseSynchronousMode(Action<SynchronousModeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new SynchronousModeOptions();
        configure(settings);
        Services.Configure<InProcOptions>(o =>
        {
            o.SynchronousMode = true;
            o.SynchronousRetries = settings.EnableRetries;
        });
        return this;
    }
}

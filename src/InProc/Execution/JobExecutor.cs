using System.Diagnostics;
using InProc.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Execution;

/// <summary>
/// Runs one attempt of one envelope: a fresh async DI scope, the timeout linked with the shutdown token, the
/// middleware pipeline (composed once at start-up), then the job. It does not know where the envelope came from
/// and never touches job state: it returns an <see cref="AttemptResult"/>, and nothing user code throws escapes.
/// </summary>
internal sealed class JobExecutor(IServiceScopeFactory scopeFactory, TimeProvider time, Type[] middleware)
{
    /// <summary>
    /// Runs one attempt. A job with no timeout, traced by no listener, whose pipeline and scope complete synchronously
    /// (a no-op, a job that only enqueues another, a cache write) is run without a state machine; a timeout or a trace
    /// goes through <see cref="RunFullAsync"/>. Both run the job the same way (<see cref="RunScoped"/>).
    /// </summary>
    public ValueTask<AttemptResult> RunAsync(Envelope envelope, CancellationToken stopping)
    {
        if (envelope.Registration.Timeout is not null || InProcTelemetry.ActivitySource.HasListeners())
        {
            return RunFullAsync(envelope, stopping);
        }

        var run = RunScoped(envelope, stopping);
        return run.IsCompletedSuccessfully
            ? new ValueTask<AttemptResult>(Classify(envelope, run.Result, timedOut: false, timeout: null, stopping))
            : ClassifyAsync(run, envelope, stopping);
    }

    private static async ValueTask<AttemptResult> ClassifyAsync(ValueTask<Exception?> run, Envelope envelope, CancellationToken stopping) =>
        Classify(envelope, await run.ConfigureAwait(false), timedOut: false, timeout: null, stopping);

    /// <summary>The attempt with a timeout or a trace: the timeout linked with the shutdown token, the job's activity around it.</summary>
    private async ValueTask<AttemptResult> RunFullAsync(Envelope envelope, CancellationToken stopping)
    {
        var timeout = envelope.Registration.Timeout;
        CancellationTokenSource? timeoutSource = null;
        CancellationTokenRegistration link = default;
        var token = stopping;
        if (timeout is { } limit)
        {
            // Validated at start-up to fit a timer, so this cannot throw.
            timeoutSource = new CancellationTokenSource(limit, time);
            if (stopping.CanBeCanceled)
            {
                link = stopping.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeoutSource);
            }

            token = timeoutSource.Token;
        }

        var activity = StartActivity(envelope);
        Exception? error;
        try
        {
            error = await RunScoped(envelope, token).ConfigureAwait(false);
        }
        finally
        {
            link.Dispose();
        }

        var timedOut = timeoutSource is { IsCancellationRequested: true } && !stopping.IsCancellationRequested;
        timeoutSource?.Dispose();
        var result = Classify(envelope, error, timedOut, timeout, stopping);
        StopActivity(activity, result);
        return result;
    }

    /// <summary>
    /// The job in a fresh async scope, the scope disposed after it (a throwing disposal is the attempt's error, as in a
    /// finally). Returns the attempt's exception, or null; never throws. Completes synchronously when the job and the
    /// disposal do: no state machine then.
    /// </summary>
    private ValueTask<Exception?> RunScoped(Envelope envelope, CancellationToken token)
    {
        AsyncServiceScope scope;
        try
        {
            scope = scopeFactory.CreateAsyncScope();
        }
#pragma warning disable CA1031 // Any exception from a job, its middleware, its DI activation or its scope is the attempt's outcome.
        catch (Exception ex)
        {
            return new ValueTask<Exception?>(ex); // no scope, nothing to dispose
        }

        Exception? error = null;
        try
        {
            var job = RunPipelineAsync(scope.ServiceProvider, envelope, new JobContext(envelope, token));
            if (!job.IsCompleted)
            {
                return AwaitJobAsync(scope, job);
            }

            job.GetAwaiter().GetResult(); // a faulted or cancelled job throws here, as an await would
        }
        catch (Exception ex)
        {
            error = ex;
        }

        return Dispose(scope, error);
    }

    private static ValueTask<Exception?> Dispose(AsyncServiceScope scope, Exception? error)
    {
        try
        {
            var disposing = scope.DisposeAsync();
            if (!disposing.IsCompleted)
            {
                return AwaitDisposeAsync(disposing, error);
            }

            disposing.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        return new ValueTask<Exception?>(error);
    }

    private static async ValueTask<Exception?> AwaitJobAsync(AsyncServiceScope scope, Task job)
    {
        Exception? error = null;
        try
        {
            await job.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        return await Dispose(scope, error).ConfigureAwait(false);
    }

    private static async ValueTask<Exception?> AwaitDisposeAsync(ValueTask disposing, Exception? error)
    {
        try
        {
            await disposing.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }
#pragma warning restore CA1031

        return error;
    }

    private static AttemptResult Classify(Envelope envelope, Exception? error, bool timedOut, TimeSpan? timeout, CancellationToken stopping)
    {
        if (error is null)
        {
            return AttemptResult.Success;
        }

        if (error is OperationCanceledException && stopping.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.StoppedByShutdown, error);
        }

        if (timedOut && error is OperationCanceledException)
        {
            error = new TimeoutException(
                $"Attempt {envelope.Attempt} of job {envelope.Id} ({envelope.Registration.MessageType.Name}) ran past its timeout of {timeout} and was cancelled.",
                error);
        }

        return new AttemptResult(AttemptOutcome.Failed, error);
    }

    /// <summary>Starts the job's activity; an <see cref="ActivityListener"/> is user code and may throw.</summary>
    private static Activity? StartActivity(Envelope envelope)
    {
        if (!InProcTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        try
        {
            var activity = InProcTelemetry.ActivitySource.StartActivity(ActivityKind.Consumer, envelope.TraceParent, name: envelope.Registration.MessageType.Name);
            activity?.SetTag(TagNames.JobId, envelope.Id.ToString());
            activity?.SetTag(TagNames.JobAttempt, envelope.Attempt);
            activity?.SetTag(TagNames.QueueName, envelope.Registration.QueueName);
            return activity;
        }
#pragma warning disable CA1031 // A throwing listener loses the trace, never the job.
        catch (Exception)
        {
            return null;
        }
    }

    private static void StopActivity(Activity? activity, AttemptResult result)
    {
        if (activity is null)
        {
            return;
        }

        try
        {
            if (result.Error is { } error)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag(TagNames.ErrorType, error.GetType().FullName);
            }

            activity.Dispose();
        }
        catch (Exception)
        {
            // The listener's ActivityStopped threw: the outcome stands.
        }
#pragma warning restore CA1031
    }

    private Task RunPipelineAsync(IServiceProvider services, Envelope envelope, JobContext context)
    {
        if (middleware.Length == 0)
        {
            return envelope.RunJobAsync(services, context);
        }

        return new Pipeline(services, envelope, context, middleware).InvokeAsync(0);
    }

    /// <summary>Calls each middleware in registration order, the job last. Allocated only when middleware is registered.</summary>
    private sealed class Pipeline(IServiceProvider services, Envelope envelope, JobContext context, Type[] middleware)
    {
        public Task InvokeAsync(int index)
        {
            if (index == middleware.Length)
            {
                return envelope.RunJobAsync(services, context);
            }

            var current = (IJobMiddleware)services.GetRequiredService(middleware[index]);
            return current.InvokeAsync(envelope.Message!, context, () => InvokeAsync(index + 1))
                ?? throw new InvalidOperationException(
                    $"{current.GetType().FullName}.InvokeAsync returned null instead of a Task for job {envelope.Id}. Return the Task of next(), or make InvokeAsync async.");
        }
    }
}

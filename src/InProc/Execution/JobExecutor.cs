using System.Diagnostics;
using InProc.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Execution;

/// <summary>
/// Runs one attempt of one envelope: a fresh async DI scope, the timeout linked with the shutdown token, the
/// middleware pipeline, then the job. It does not care where the envelope came from (a channel today, a store
/// later) and it never throws: the outcome goes to <see cref="IJobOutcomeSink"/>.
/// </summary>
internal sealed class JobExecutor(IServiceScopeFactory scopeFactory, TimeProvider time, Type[] middleware, IJobOutcomeSink outcomes)
{
    /// <summary>Runs the envelope if it can still start; returns the attempt's failure, or null.</summary>
    public async Task<Exception?> ExecuteAsync(Envelope envelope, CancellationToken stopping)
    {
        if (!outcomes.TryStart(envelope))
        {
            return null; // cancelled or abandoned while it waited
        }

        var timeout = envelope.Registration.Timeout;
        CancellationTokenSource? timeoutSource = null;
        CancellationTokenRegistration link = default;
        var token = stopping;
        if (timeout is { } limit)
        {
            timeoutSource = new CancellationTokenSource(limit, time);
            if (stopping.CanBeCanceled)
            {
                link = stopping.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeoutSource);
            }

            token = timeoutSource.Token;
        }

        using var activity = InProcTelemetry.ActivitySource.StartActivity(ActivityKind.Consumer, envelope.TraceParent, name: envelope.Registration.MessageType.Name);
        activity?.SetTag(TagNames.JobId, envelope.Id.ToString());
        activity?.SetTag(TagNames.JobAttempt, envelope.Attempt);
        activity?.SetTag(TagNames.QueueName, envelope.Registration.QueueName);

        var context = new JobContext(envelope, token);
        Exception? error = null;
        try
        {
            var scope = scopeFactory.CreateAsyncScope();
            try
            {
                await RunPipelineAsync(scope.ServiceProvider, envelope, context).ConfigureAwait(false);
            }
            finally
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Any exception from a job is the attempt's outcome, never the worker's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }
        finally
        {
            link.Dispose();
        }

        var timedOut = timeoutSource is { IsCancellationRequested: true } && !stopping.IsCancellationRequested;
        timeoutSource?.Dispose();

        if (error is null)
        {
            outcomes.Succeeded(envelope);
            return null;
        }

        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        if (error is OperationCanceledException && stopping.IsCancellationRequested)
        {
            // Cancelled by shutdown: not a failure of the job, but it did not finish.
            outcomes.StoppedByShutdown(envelope);
            return error;
        }

        if (timedOut && error is OperationCanceledException)
        {
            error = new TimeoutException(
                $"Attempt {envelope.Attempt} of job {envelope.Id} ({envelope.Registration.MessageType.Name}) ran past its timeout of {timeout} and was cancelled.",
                error);
        }

        outcomes.Failed(envelope, error);
        return error;
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
            return current.InvokeAsync(envelope.Message, context, () => InvokeAsync(index + 1));
        }
    }
}

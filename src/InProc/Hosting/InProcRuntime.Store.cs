using InProc.Diagnostics;
using InProc.Execution;
using InProc.Queues;
using InProc.Store;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Hosting;

/// <summary>The store seam: which store holds job state, what it brings back at start, and its close at stop.</summary>
internal sealed partial class InProcRuntime
{
    /// <summary>
    /// The memory store, unless an add-on registered an <see cref="IJobStoreProvider"/> (UseSqliteJournal). The test
    /// modes always run in memory: a test's jobs must not outlive it.
    /// </summary>
    private IJobStore CreateStore(IServiceProvider services)
    {
        if (!IsSynchronous && services.GetService<IJobStoreProvider>() is { } provider)
        {
            return provider.Create(new JobStoreContext(_options, _admission.Registry, _time, _logger));
        }

        return MemoryJobStore.For(_options);
    }

    /// <summary>Queues and schedules what a durable store kept from an earlier process. Runs once, before the workers start.</summary>
    private void Recover()
    {
        if (Store is not IDurableJobStore durable)
        {
            return;
        }

        int queued = 0, scheduled = 0, rerun = 0;
        var recovered = durable.Recover();
        foreach (var envelope in recovered)
        {
            if (envelope.State == JobState.Enqueued)
            {
                queued++;
                rerun += envelope.RecoveredAttempt == envelope.Attempt ? 1 : 0;
                _dispatcher.Dispatch(envelope); // a full queue parks it in its due backlog: start-up never blocks on capacity
            }
            else if (!_scheduler.TrySchedule(envelope))
            {
                throw StopErrors.Stopping();
            }
            else
            {
                scheduled++;
            }
        }

        if (recovered.Count > 0)
        {
            Log.JobsRecovered(_logger, recovered.Count, queued, scheduled, rerun);
        }
    }

    /// <summary>The end of a stop: a durable store writes what is pending and lets go of its file.</summary>
    private void CloseStore()
    {
        if (Store is IDurableJobStore durable)
        {
            if (Lifecycle.LeftForRestart > 0)
            {
                Log.JobsLeftForRestart(_logger, Lifecycle.LeftForRestart);
            }

            durable.Close();
        }
    }
}

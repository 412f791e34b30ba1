using System.Collections.Frozen;
using InProc.Execution;
using InProc.Limits;

namespace InProc.Hosting;

/// <summary>What the runtime checks before it accepts jobs: the registrations it builds, and that something will run them.</summary>
internal sealed partial class InProcRuntime
{
    private static FrozenDictionary<Type, JobRegistration> BuildRegistry(InProcOptions options)
    {
        var queueIndex = options.Queues.Select((q, i) => (q.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var registry = new Dictionary<Type, JobRegistration>();
        foreach (var job in options.Jobs)
        {
            foreach (var messageType in job.MessageTypes)
            {
                var registration = JobRegistration.Create(
                    messageType,
                    job.JobType,
                    job.Options.Queue,
                    job.Options.Retry ?? options.DefaultRetry,
                    job.Options.Timeout ?? options.DefaultTimeout);
                registration.QueueIndex = queueIndex.GetValueOrDefault(job.Options.Queue, -1);
                if (job.Limits is { } limits && limits.MessageType == messageType)
                {
                    registration.Limits = new RegistrationLimits(limits); // this runtime's own gates
                }

                registry[messageType] = registration;
            }
        }

        return registry.ToFrozenDictionary();
    }

    /// <summary>A provider with InProc but no host and no test mode would accept jobs that never run: refuse the first one.</summary>
    private void ThrowIfNothingRuns()
    {
        if (!_hosted && _inline is null && Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException(
                "No host runs InProc in this service provider, so an enqueued job would never run. Add InProc to a host " +
                "(Host.CreateApplicationBuilder / WebApplication.CreateBuilder: the host starts the workers), or, in a test, " +
                "call UseSynchronousMode() to run jobs in the caller or UseFakeMode() (InProc.Testing) to record them.");
        }
    }
}

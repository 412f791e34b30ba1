using InProc.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InProc.Testing;

/// <summary>Switches InProc to fake mode, for tests.</summary>
public static class FakeModeInProcBuilderExtensions
{
    /// <summary>
    /// Fake mode: nothing runs by itself. <see cref="IJobQueue"/> becomes a <see cref="FakeJobQueue"/> (resolve either
    /// one) that records every enqueued and scheduled job, for assertions, and runs them only when the test calls
    /// <see cref="FakeJobQueue.RunAllAsync"/> or <see cref="FakeJobQueue.RunAsync"/>: then through the real pipeline
    /// (a DI scope per job, middleware, timeout), on the test's thread, as <see cref="InProcBuilder.UseSynchronousMode()"/> does.
    /// </summary>
    /// <remarks>
    /// No worker task of InProc runs in this mode, with or without a host; recurring jobs record their runs when the
    /// registered <see cref="TimeProvider"/> reaches a slot (a fake clock: when the test advances it). Jobs are checked as in production:
    /// enqueueing a message type that has no job throws. Failed jobs are not retried. Unique keys hold (a duplicate is
    /// not recorded, and returns the recorded holder's id); concurrency and rate limits do not: a job runs when the test says.
    /// </remarks>
    /// <param name="builder">The builder <c>services.AddInProc(...)</c> returned.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static InProcBuilder UseFakeMode(this InProcBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The runtime underneath runs recorded jobs on demand: synchronous mode gives it no queues and no workers.
        builder.UseSynchronousMode();
        builder.Services.TryAddSingleton(sp => new FakeJobQueue(sp.GetRequiredService<InProcRuntime>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IJobQueue>(sp => sp.GetRequiredService<FakeJobQueue>()));
        return builder;
    }
}

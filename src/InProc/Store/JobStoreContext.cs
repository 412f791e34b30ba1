using System.Collections.Frozen;
using InProc.Execution;
using Microsoft.Extensions.Logging;

namespace InProc.Store;

/// <summary>What an add-on store needs from the runtime that creates it.</summary>
internal sealed class JobStoreContext(InProcOptions options, FrozenDictionary<Type, JobRegistration> registry, TimeProvider time, ILogger logger)
{
    public InProcOptions Options { get; } = options;

    /// <summary>Every registered message type's registration; <see cref="JobRegistration.Name"/> is what a store writes.</summary>
    public FrozenDictionary<Type, JobRegistration> Registry { get; } = registry;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}

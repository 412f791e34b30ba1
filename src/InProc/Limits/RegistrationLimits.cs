namespace InProc.Limits;

/// <summary>One runtime's limits of one registration: the configuration and the gates built from it.</summary>
internal sealed class RegistrationLimits
{
    public RegistrationLimits(JobLimits spec)
    {
        Spec = spec;
        Concurrency = spec.Concurrency > 0 ? new ConcurrencyGate(spec.Concurrency) : null;
        Rate = spec.Rate is { } rate ? new RateGate(rate) : null;
    }

    public JobLimits Spec { get; }

    public UniqueSettings? Unique => Spec.Unique;

    public ConcurrencyGate? Concurrency { get; private set; }

    /// <summary>
    /// The store limits concurrency across hosts in its claim (PostgreSQL): this process keeps no gate, and the key is
    /// still read before the attempt, so a failing selector fails the job for good as it does with the gate.
    /// </summary>
    public bool ConcurrencyInStore { get; private set; }

    public RateGate? Rate { get; }

    /// <summary>True when a job of this registration passes a gate before it starts.</summary>
    public bool GatesExecution => Concurrency is not null || Rate is not null || ConcurrencyInStore;

    /// <summary>Called by a store that enforces the concurrency limit itself, when it is created (before any job runs).</summary>
    public void LeaveConcurrencyToStore()
    {
        ConcurrencyInStore = Spec.Concurrency > 0;
        Concurrency = null;
    }
}

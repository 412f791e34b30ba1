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

    public ConcurrencyGate? Concurrency { get; }

    public RateGate? Rate { get; }

    /// <summary>True when a job of this registration passes a gate before it starts.</summary>
    public bool GatesExecution => Concurrency is not null || Rate is not null;
}

namespace InProc.Limits;

/// <summary>A unique job's key: the job's stable type name (<see cref="Execution.JobRegistration.Name"/>) and the key text.</summary>
internal readonly record struct UniqueKey(string JobType, string Value)
{
    public override string ToString() => $"{JobType}:{Value}";
}

/// <summary>The answer of <see cref="IUniqueKeyStore.TryClaimAsync"/>: claimed, or held by <see cref="Holder"/>.</summary>
internal readonly record struct UniqueClaim(bool Claimed, JobId Holder)
{
    public static UniqueClaim Won => new(true, default);

    public static UniqueClaim HeldBy(JobId holder) => new(false, holder);
}

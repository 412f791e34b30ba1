namespace InProc.Limits;

/// <summary>A unique job's key: the job's stable type name (<see cref="Execution.JobRegistration.Name"/>) and the key text.</summary>
internal readonly record struct UniqueKey(string JobType, string Value)
{
    public override string ToString() => $"{JobType}:{Value}";
}

/// <summary>
/// The answer of <see cref="IUniqueKeyStore.TryClaimAsync"/>: claimed, or held by <see cref="Holder"/>. When the holder
/// is claimed but may not be stored yet (a journal's commit pending), <see cref="HolderStored"/> completes once its store
/// answered: true, stored; false, refused (its key is released by then). Null: the holder is stored.
/// </summary>
internal readonly record struct UniqueClaim(bool Claimed, JobId Holder, Task<bool>? HolderStored = null)
{
    public static UniqueClaim Won => new(true, default);

    public static UniqueClaim HeldBy(JobId holder, Task<bool>? holderStored = null) => new(false, holder, holderStored);
}

namespace InProc.Limits;

/// <summary>
/// Where unique keys are held: the seam the memory store implements and a durable store (SQLite journal, PostgreSQL)
/// implements in its own package. See Limits/README.md for the contract and what each store promises.
/// </summary>
internal interface IUniqueKeyStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for job <paramref name="holder"/> until <paramref name="expiresAt"/>, unless a claim
    /// that has not expired at <paramref name="now"/> holds it: then returns that claim's holder and changes nothing. Of
    /// concurrent claims of one key exactly one wins. An expired claim is replaced as if absent. Completes when the claim
    /// is as durable as the store's jobs (a journal: in the commit that holds the job, or before it).
    /// </summary>
    ValueTask<UniqueClaim> TryClaimAsync(UniqueKey key, JobId holder, DateTimeOffset expiresAt, DateTimeOffset now);

    /// <summary>
    /// Releases <paramref name="key"/> if <paramref name="holder"/> still holds it (a newer claim, made after this one
    /// expired, is kept). Idempotent, never blocks and never throws for an unknown key: it runs on the thread that made
    /// the job's terminal transition.
    /// </summary>
    void Release(UniqueKey key, JobId holder);

    /// <summary>Keys held now, expired ones not yet swept included (for tests and the memory bench).</summary>
    int Count { get; }
}

using System.Collections.Concurrent;
using InProc.Limits;
using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>
/// The journal's unique keys. The file is this process's alone (its lock file refuses a second one), so memory decides
/// a claim, as for jobs: a lock-free add, or a compare-and-set over an expired entry (of racing claims exactly one wins),
/// and a claim never waits for the disk. The claim is made durable by the job's own insert, in the same transaction
/// (<see cref="SqliteJobStore.AddAsync"/> carries it to the writer), so an acknowledged unique job and its key are on disk
/// together and a key is never on disk without its job. A release is a <c>DELETE … WHERE job_id = holder</c> in the
/// next group commit (with the transition that caused it, or just after it). At start-up the file's keys are swept
/// (expired, or whose job is finished or gone, a window's excepted) and loaded back.
/// A claim is won before its job's insert commits: a duplicate that meets such a holder is handed the holder's pending
/// answer (<see cref="UniqueClaim.HolderStored"/>), true once the insert committed (<see cref="Stored"/>), false once the
/// key was given back after a refused insert (<see cref="Release"/>), so it never names a job that never existed.
/// </summary>
internal sealed class SqliteUniqueKeyStore : IUniqueKeyStore
{
    private readonly ConcurrentDictionary<JobId, byte> _keptOnDisk = new();

    // Claims whose job's insert has not answered yet, by holder: registered before the claim is tried, so a duplicate
    // that sees a claim finds its entry, or (removed once answered) finds it stored or released.
    private readonly ConcurrentDictionary<JobId, TaskCompletionSource<bool>> _unstored = new();
    private readonly MemoryUniqueKeyStore _memory = new(); // decides claims: the file has one owner
    private Dictionary<JobId, (UniqueKey Key, UniqueScope Scope)> _loaded = [];
    private JournalWriter? _writer;

    public int Count => _memory.Count;

    /// <summary>
    /// Start-up, before the writer runs: deletes the file's expired keys and those whose job is finished or gone (a
    /// window's key lives until it expires), and loads the rest. From then on releases are journaled.
    /// </summary>
    public int Open(SqliteConnection connection, JournalWriter writer, long nowTicks)
    {
        var holds = new List<(UniqueKey, JobId, long)>();
        var loaded = new Dictionary<JobId, (UniqueKey, UniqueScope)>();
        int swept;
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using (var sweep = connection.CreateCommand())
            {
                sweep.Transaction = transaction;
                sweep.CommandText =
                    "DELETE FROM unique_keys WHERE expires_at <= $now OR (scope <> $window AND NOT EXISTS " +
                    $"(SELECT 1 FROM jobs WHERE jobs.id = unique_keys.job_id AND jobs.state NOT IN {JournalSchema.FinalStates}))";
                sweep.Parameters.AddWithValue("$now", nowTicks);
                sweep.Parameters.AddWithValue("$window", (int)UniqueScope.Window);
                swept = sweep.ExecuteNonQuery();
            }

            using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT type, key, job_id, expires_at, scope FROM unique_keys";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    var key = new UniqueKey(reader.GetString(0), reader.GetString(1));
                    var holder = JobId.Parse(reader.GetString(2));
                    holds.Add((key, holder, reader.GetInt64(3)));
                    loaded[holder] = (key, (UniqueScope)reader.GetInt32(4));
                }
            }

            transaction.Commit();
        }

        _memory.ReplaceAll(holds);
        _loaded = loaded;
        _writer = writer;
        return swept;
    }

    /// <summary>The key a job of an earlier process held (recovery gives it back to the job, so its end releases it).</summary>
    public bool TryTakeLoaded(JobId holder, out UniqueKey key, out UniqueScope scope)
    {
        var found = _loaded.Remove(holder, out var entry);
        (key, scope) = entry;
        return found;
    }

    /// <summary>
    /// A job the stop left for the next start (its row keeps its state): the key the stop's Abandoned releases stays in
    /// the file, so the job holds it again after the restart. Called before that release.
    /// </summary>
    public void KeepOnDisk(JobId holder) => _keptOnDisk[holder] = 0;

    /// <summary>The expiry of <paramref name="holder"/>'s claim of <paramref name="key"/>, for the insert that makes it durable.</summary>
    public bool TryGetExpiry(UniqueKey key, JobId holder, out long expiresTicks) => _memory.TryGetExpiry(key, holder, out expiresTicks);

    /// <summary>
    /// Decided in memory; an expired claim replaced here is replaced in the file by the claimer's insert (an upsert). A
    /// holder whose insert has not answered comes with its pending answer.
    /// </summary>
    public ValueTask<UniqueClaim> TryClaimAsync(UniqueKey key, JobId holder, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        while (true)
        {
            var mine = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _unstored[holder] = mine;
            var claim = _memory.TryClaimAsync(key, holder, expiresAt, now).Result; // the memory store completes at once
            if (claim.Claimed)
            {
                return new ValueTask<UniqueClaim>(claim);
            }

            _unstored.TryRemove(new KeyValuePair<JobId, TaskCompletionSource<bool>>(holder, mine));
            if (_unstored.TryGetValue(claim.Holder, out var theirs))
            {
                return new ValueTask<UniqueClaim>(UniqueClaim.HeldBy(claim.Holder, theirs.Task));
            }

            // No entry: its insert answered. Still holding now means it was stored (a refused holder is released before
            // its entry goes) or was loaded at start-up; not holding means it was released meanwhile: claim again.
            if (_memory.TryGetExpiry(key, claim.Holder, out _))
            {
                return new ValueTask<UniqueClaim>(claim);
            }
        }
    }

    /// <summary>The insert of <paramref name="holder"/>'s job committed: duplicates waiting for it are told its id.</summary>
    public void Stored(JobId holder)
    {
        if (_unstored.TryRemove(holder, out var answer))
        {
            answer.TrySetResult(true);
        }
    }

    public void Release(UniqueKey key, JobId holder)
    {
        var released = _memory.TryRelease(key, holder);
        if (_unstored.TryRemove(holder, out var answer))
        {
            answer.TrySetResult(false); // a refused insert: after the key went back, so a waiting duplicate can claim it
        }

        if (released)
        {
            // Keyed on the holder: a newer claim's row, written by its insert in the same commit or an earlier one, stays.
            // A closed journal refuses it: the row is then swept at the next start (its job is finished or gone).
            if (!_keptOnDisk.TryRemove(holder, out _))
            {
                _writer?.Append(JournalOp.DeleteKey(key, holder));
            }
        }
    }
}

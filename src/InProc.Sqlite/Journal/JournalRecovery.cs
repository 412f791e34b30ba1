using System.Text;
using InProc.Execution;
using InProc.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace InProc.Sqlite.Journal;

/// <summary>
/// Start-up: turns the rows an earlier process left into envelopes again, in one transaction. Running rows are
/// Enqueued with attempt + 1 first (at-least-once), so a crash during recovery itself only repeats it. A row whose type
/// is not registered or whose JSON does not bind becomes a dead letter that says why (logged once: it is Failed from
/// then on); nothing is deleted, nothing throws.
/// </summary>
internal sealed class JournalRecovery(
    SqliteConnection connection, object connectionLock, string path, MemoryJobStore memory, MessageCodec codec, JobStoreContext context, ILogger logger)
{
    private const string Unfinished = "WHERE state NOT IN (3, 5, 6, 7)";

    private readonly Dictionary<string, JobRegistration> _byName = ByName(context.Registry);
    private readonly Dictionary<string, JobRegistration> _unreadable = new(StringComparer.Ordinal);

    /// <summary>The unique keys loaded at open: a recovered job gets its key back, a job dead-lettered here releases it.</summary>
    public SqliteUniqueKeyStore? Keys { get; init; }

    public static Dictionary<string, DateTimeOffset> ReadSlots(SqliteConnection connection)
    {
        var slots = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, last_slot FROM recurring";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            slots[reader.GetString(0)] = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
        }

        return slots;
    }

    public IReadOnlyList<Envelope> Run()
    {
        lock (connectionLock)
        {
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                JournalSchema.Execute(connection, "UPDATE jobs SET state = 1, attempt = attempt + 1, recovered = 1, started_at = NULL WHERE state = 2", transaction);
                var recovered = new List<Envelope>();
                foreach (var row in StoredRow.ReadAll(connection, transaction, Unfinished + " ORDER BY id"))
                {
                    if (memory.FindActive(JobId.Parse(row.Id)) is not null)
                    {
                        continue; // enqueued by this process before it started: already queued
                    }

                    if (Load(row, transaction) is { } envelope)
                    {
                        recovered.Add(envelope);
                        if (Keys?.TryTakeLoaded(envelope.Id, out var key, out var scope) == true)
                        {
                            envelope.Limits = new Limits.LimitState { Unique = key, Scope = scope }; // released at its end
                        }
                    }
                    else if (Keys?.TryTakeLoaded(JobId.Parse(row.Id), out var key, out var scope) == true && scope != UniqueScope.Window)
                    {
                        Keys.Release(key, JobId.Parse(row.Id)); // dead-lettered here: a final state
                    }
                }

                LoadDeadLetters(transaction);
                LoadFinished(transaction);
                transaction.Commit();
                return recovered;
            }
            catch (SqliteException ex)
            {
                throw JournalErrors.Open(path, ex);
            }
        }
    }

    private Envelope? Load(StoredRow row, SqliteTransaction transaction)
    {
        var envelope = Rebuild(row, out var reason);
        if (envelope is null)
        {
            Log.RowUnreadable(logger, row.Id, path, row.Type, reason!);
            DeadLetter(row, transaction, Placeholder(row, reason!), "InProc.Sqlite.UnreadableJob", reason!);
            return null;
        }

        var max = envelope.Registration.Retry.MaxAttempts;
        if (row.Recovered && row.Attempt > max + SqliteConstants.MaxCrashReruns)
        {
            Log.CrashLoop(logger, row.Id, row.Type, row.Attempt - max, max);
            DeadLetter(row, transaction, envelope, "InProc.Sqlite.CrashLoop", $"the process died while this job ran, {row.Attempt - 1} times in all; it no longer runs on its own after a restart");
            return null;
        }

        if (row.Recovered)
        {
            envelope.RecoveredAttempt = row.Attempt;
        }

        if (row.State is JobState.Scheduled or JobState.Retrying)
        {
            envelope.TryTransition(JobState.Enqueued, row.Attempt, row.State, row.Attempt);
        }

        _ = memory.AddAsync(envelope, CancellationToken.None);
        return envelope;
    }

    private void DeadLetter(StoredRow row, SqliteTransaction transaction, Envelope envelope, string errorType, string reason)
    {
        var now = context.Time.GetUtcNow();
        using (var update = connection.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE jobs SET state = 5, finished_at = $now, error_type = $type, error = $error, error_stack = NULL WHERE id = $id";
            update.Parameters.AddWithValue("$now", now.UtcTicks);
            update.Parameters.AddWithValue("$type", errorType);
            update.Parameters.AddWithValue("$error", reason);
            update.Parameters.AddWithValue("$id", row.Id);
            update.ExecuteNonQuery();
        }

        AddDeadLetter(envelope, row with { FinishedAt = now.UtcTicks, ErrorType = errorType, Error = reason, ErrorStack = null });
    }

    private void LoadDeadLetters(SqliteTransaction transaction)
    {
        var dropped = 0;
        foreach (var row in StoredRow.ReadAll(connection, transaction, "WHERE state = 5 ORDER BY finished_at, id"))
        {
            if (memory.FindActive(JobId.Parse(row.Id)) is not null)
            {
                continue; // dead-lettered just now by Load
            }

            var envelope = Rebuild(row, out var reason) ?? Placeholder(row, reason!);
            if (AddDeadLetter(envelope, row) is { } pushedOut)
            {
                JournalSchema.Execute(connection, $"DELETE FROM jobs WHERE id = '{pushedOut.Id}'", transaction);
                dropped++;
            }
        }

        if (dropped > 0)
        {
            Log.DeadLettersDropped(logger, path, context.Options.DeadLetterCapacity, dropped);
        }
    }

    /// <summary>The newest finished rows the retention keeps, into the finished ring (oldest first), so status pages show them after a restart.</summary>
    private void LoadFinished(SqliteTransaction transaction)
    {
        var cutoff = context.Time.GetUtcNow().UtcTicks - context.Options.FinishedJobRetentionPeriod.Ticks;
        var rows = StoredRow.ReadAll(connection, transaction, "WHERE state IN (3, 6, 7) AND finished_at >= $cutoff ORDER BY finished_at DESC LIMIT $keep",
            ("$cutoff", cutoff), ("$keep", context.Options.FinishedJobRetention));
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            var row = rows[i];
            if (Rebuild(row, out _) is { } envelope)
            {
                _ = memory.AddAsync(envelope, CancellationToken.None);
                _ = memory.TransitionAsync(envelope, new JobTransition(JobState.Enqueued, row.Attempt, row.State, row.Attempt));
            }
        }
    }

    private DeadLetter? AddDeadLetter(Envelope envelope, StoredRow row)
    {
        var failedAt = StoredRow.Time(row.FinishedAt) ?? context.Time.GetUtcNow();
        envelope.FinishedAt = failedAt;
        var errorType = row.ErrorType ?? "InProc.Sqlite.UnknownError";
        var error = new RecordedException(errorType, row.Error ?? "", row.ErrorStack);
        envelope.Error = error;
        var letter = new DeadLetter(envelope.Id, envelope.Message!, envelope.Registration.QueueName, row.Attempt, errorType, row.Error ?? "", row.ErrorStack, error, envelope.CreatedAt, failedAt);
        _ = memory.AddAsync(envelope, CancellationToken.None);
        _ = memory.TransitionAsync(envelope, new JobTransition(JobState.Enqueued, row.Attempt, JobState.Failed, row.Attempt));
        return memory.AddDeadLetter(envelope, letter);
    }

    private Envelope? Rebuild(StoredRow row, out string? reason)
    {
        if (!_byName.TryGetValue(row.Type, out var registration))
        {
            reason = $"no job is registered for the stored type '{row.Type}'";
            return null;
        }

        if (codec.Read(row.Payload, registration.MessageType, out reason) is not { } message)
        {
            return null;
        }

        var envelope = registration.CreateEnvelope(message, JobId.Parse(row.Id), new DateTimeOffset(row.CreatedAt, TimeSpan.Zero), row.Attempt, captureTrace: false);
        Fill(envelope, row);
        return envelope;
    }

    private Envelope Placeholder(StoredRow row, string reason)
    {
        if (!_unreadable.TryGetValue(row.Queue, out var registration))
        {
            registration = JobRegistration.Create(typeof(UnreadableJob), typeof(UnreadableJobRunner), row.Queue, RetryPolicy.None, null);
            var queues = context.Options.Queues;
            registration.QueueIndex = 0; // a re-run goes to its queue, or the first one if that is gone
            for (var i = 0; i < queues.Count; i++)
            {
                registration.QueueIndex = string.Equals(queues[i].Name, row.Queue, StringComparison.Ordinal) ? i : registration.QueueIndex;
            }

            _unreadable[row.Queue] = registration;
        }

        var message = new UnreadableJob(row.Type, Encoding.UTF8.GetString(row.Payload), reason);
        var envelope = registration.CreateEnvelope(message, JobId.Parse(row.Id), new DateTimeOffset(row.CreatedAt, TimeSpan.Zero), row.Attempt, captureTrace: false);
        Fill(envelope, row);
        return envelope;
    }

    private static void Fill(Envelope envelope, StoredRow row)
    {
        envelope.DueAt = StoredRow.Time(row.DueAt);
        envelope.StartedAt = StoredRow.Time(row.StartedAt);
        envelope.FinishedAt = StoredRow.Time(row.FinishedAt);
        if (row.ErrorType is not null)
        {
            envelope.Error = new RecordedException(row.ErrorType, row.Error ?? "", row.ErrorStack);
        }

        foreach (var failure in MessageCodec.ReadFailures(row.Failures))
        {
            envelope.AddFailure(failure);
        }
    }

    private static Dictionary<string, JobRegistration> ByName(IReadOnlyDictionary<Type, JobRegistration> registry)
    {
        var byName = new Dictionary<string, JobRegistration>(StringComparer.Ordinal);
        foreach (var registration in registry.Values)
        {
            byName[registration.Name] = registration;
        }

        return byName;
    }
}

namespace InProc.PostgreSql.Store;

/// <summary>Every statement the store runs, for one schema. States: 0 Scheduled, 1 Enqueued, 2 Running (claimed), 3 Succeeded, 4 Retrying, 5 Failed, 6 Cancelled, 7 Abandoned.</summary>
internal sealed class PgSql(string s)
{
    public const string Columns = "id, type, queue, state, attempt, payload, created_at, due_at, started_at, finished_at, error_type, error, error_stack, failures, recovered, lease_owner, progress, progress_status";

    /// <summary>How many <see cref="Columns"/> there are: the ordinal of what a query selects after them.</summary>
    public static readonly int ColumnCount = Columns.Split(", ").Length;

    public string Channel { get; } = "inproc_" + s;

    public string Insert { get; } =
        $"INSERT INTO {s}.jobs (id, type, queue, state, attempt, payload, created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, now(), now() + $7)";

    /// <summary>
    /// Due jobs of one queue, of the types this host runs, under a lease: the claimed rows turn Running at once. The
    /// claimed ids come as an array, so the update finds each row by its key, also in a prepared statement's generic
    /// plan (which, not knowing the limit, would join a CTE of them with a scan of the whole table).
    /// </summary>
    public string Claim { get; } =
        $"""
        UPDATE {s}.jobs j SET state = 2, lease_owner = $4, lease_expires = now() + $5, started_at = now()
        WHERE j.id = ANY(ARRAY(
            SELECT id FROM {s}.jobs
            WHERE queue = $1 AND state IN (0, 1, 4) AND due_at <= now() AND type = ANY($2)
            ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED))
        RETURNING j.{Columns.Replace(", ", ", j.", StringComparison.Ordinal)}
        """;

    public string NextDue { get; } = $"SELECT extract(epoch FROM min(due_at) - now()) FROM {s}.jobs WHERE queue = ANY($1) AND state IN (0, 1, 4)";

    /// <summary>
    /// Results of this host's attempts, many at once; a row whose lease this host lost is not touched. Each row is found
    /// by its key (<c>id = ANY($1)</c>), also in a prepared statement's generic plan made while no row was Running:
    /// <c>state::int = 2</c> keeps the planner off the state index, whose entries for Running pile up (dead) as a drain
    /// goes, and without the key condition that plan scans the whole table for every batch.
    /// </summary>
    public string Complete { get; } =
        $"""
        UPDATE {s}.jobs j SET state = v.state, attempt = v.to_attempt,
            finished_at = CASE WHEN v.state IN (3, 5, 6, 7) THEN now() END,
            due_at = CASE WHEN v.delay_ms >= 0 THEN now() + v.delay_ms * interval '1 millisecond' ELSE j.due_at END,
            lease_owner = NULL, lease_expires = NULL, recovered = false,
            error_type = v.error_type, error = v.error, error_stack = v.error_stack, failures = coalesce(v.failures, j.failures),
            progress = v.progress, progress_status = v.progress_status
        FROM unnest($1::text[], $2::int[], $3::smallint[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $11::float8[], $12::text[])
            AS v(id, from_attempt, state, to_attempt, delay_ms, error_type, error, error_stack, failures, progress, progress_status)
        WHERE j.id = ANY($1) AND j.id = v.id AND j.state::int = 2 AND j.attempt = v.from_attempt AND j.lease_owner = $10
        RETURNING j.id
        """;

    /// <summary>A claimed job that has not started, or that a stop interrupted, goes back for any host ($5: its attempt counts as run).</summary>
    public string HandBack { get; } =
        $"UPDATE {s}.jobs SET state = 1, attempt = $3, recovered = $4, lease_owner = NULL, lease_expires = NULL, started_at = NULL, due_at = now() WHERE id = $1 AND state = 2 AND attempt = $2 AND lease_owner = $5";

    /// <summary>A claimed job that will not run (cancelled, abandoned) before it started.</summary>
    public string EndClaimed { get; } =
        $"UPDATE {s}.jobs SET state = $3, finished_at = now(), lease_owner = NULL, lease_expires = NULL WHERE id = $1 AND state = 2 AND attempt = $2 AND lease_owner = $4";

    /// <summary>A job no host holds: cancel (6), run now / re-run (1), by compare-and-set on state and attempt.</summary>
    public string Move { get; } =
        $"""
        UPDATE {s}.jobs SET state = $4, attempt = $5,
            due_at = CASE WHEN $4 = 1 THEN now() ELSE due_at END,
            finished_at = CASE WHEN $4 IN (3, 5, 6, 7) THEN now() END,
            error_type = CASE WHEN $2 = 5 THEN NULL ELSE error_type END, error = CASE WHEN $2 = 5 THEN NULL ELSE error END,
            error_stack = CASE WHEN $2 = 5 THEN NULL ELSE error_stack END, failures = CASE WHEN $2 = 5 THEN NULL ELSE failures END,
            progress = CASE WHEN $2 = 5 THEN NULL ELSE progress END, progress_status = CASE WHEN $2 = 5 THEN NULL ELSE progress_status END
        WHERE id = $1 AND state = $2 AND attempt = $3 AND lease_owner IS NULL
        """;

    public string Delete { get; } = $"DELETE FROM {s}.jobs WHERE id = $1";

    public string Fail { get; } = $"UPDATE {s}.jobs SET state = 5, finished_at = now(), error_type = $2, error = $3, lease_owner = NULL, lease_expires = NULL WHERE id = $1 AND state = 2 AND lease_owner = $4";

    /// <summary>Progress of this host's running jobs (PgProgressWriter), guarded by the lease like a result.</summary>
    public string Progress { get; } =
        $"UPDATE {s}.jobs j SET progress = v.progress, progress_status = v.status FROM unnest($1::text[], $2::float8[], $3::text[]) AS v(id, progress, status) WHERE j.id = v.id AND j.state = 2 AND j.lease_owner = $4";

    public string Renew { get; } = $"UPDATE {s}.jobs SET lease_expires = now() + $2 WHERE state = 2 AND lease_owner = $1";

    public string Heartbeat { get; } =
        $"INSERT INTO {s}.hosts (name, started_at, heartbeat_at, queues) VALUES ($1, now(), now(), $2) ON CONFLICT (name) DO UPDATE SET heartbeat_at = now(), queues = excluded.queues";

    public string Leave { get; } = $"DELETE FROM {s}.hosts WHERE name = $1";

    /// <summary>The hosts list with what each holds now (the monitor's GetHosts, the dashboard's Hosts table).</summary>
    public string Hosts { get; } =
        $"SELECT h.name, h.started_at, h.heartbeat_at, h.queues, (SELECT count(*) FROM {s}.jobs j WHERE j.state = 2 AND j.lease_owner = h.name) FROM {s}.hosts h ORDER BY h.name";

    public string ForgetHosts { get; } = $"DELETE FROM {s}.hosts WHERE heartbeat_at < now() - $1";

    /// <summary>Jobs whose host stopped renewing its lease: due again, attempt + 1, marked as a recovery.</summary>
    public string TakeOver { get; } =
        $"""
        UPDATE {s}.jobs j SET state = 1, attempt = j.attempt + 1, recovered = true, lease_owner = NULL, lease_expires = NULL, started_at = NULL, due_at = now()
        FROM (SELECT id FROM {s}.jobs WHERE state = 2 AND lease_expires < now() ORDER BY lease_expires LIMIT $1 FOR UPDATE SKIP LOCKED) e
        WHERE j.id = e.id
        """;

    public string PruneOld { get; } = $"DELETE FROM {s}.jobs WHERE id IN (SELECT id FROM {s}.jobs WHERE state IN (3, 6, 7) AND finished_at < now() - $1 LIMIT $2)";

    public string PruneExtra { get; } = $"DELETE FROM {s}.jobs WHERE id IN (SELECT id FROM {s}.jobs WHERE state IN (3, 6, 7) ORDER BY finished_at DESC OFFSET $1 LIMIT $2)";

    public string PruneDead { get; } = $"DELETE FROM {s}.jobs WHERE id IN (SELECT id FROM {s}.jobs WHERE state = 5 ORDER BY finished_at DESC OFFSET $1 LIMIT $2)";

    public string Row { get; } = $"SELECT {Columns} FROM {s}.jobs WHERE id = $1";

    public string Page(bool oldestFirst) =>
        $"SELECT {Columns}, count(*) OVER () FROM {s}.jobs WHERE ($1::smallint IS NULL OR state = $1) AND ($2::text IS NULL OR queue = $2) ORDER BY id {(oldestFirst ? "ASC" : "DESC")} OFFSET $3 LIMIT $4";

    public string DeadLetters { get; } = $"SELECT {Columns} FROM {s}.jobs WHERE state = 5 ORDER BY finished_at, id LIMIT $1";

    public string Purge { get; } = $"DELETE FROM {s}.jobs WHERE state = 5";

    public string ClaimSlot { get; } =
        $"INSERT INTO {s}.recurring (name, last_slot) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot WHERE {s}.recurring.last_slot < excluded.last_slot RETURNING name";

    public string LastSlot { get; } = $"SELECT last_slot FROM {s}.recurring WHERE name = $1";
}

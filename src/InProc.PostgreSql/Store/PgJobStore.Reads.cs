using InProc.Execution;
using InProc.Store;

namespace InProc.PostgreSql.Store;

/// <summary>The monitor's reads: from the table, so any host shows every host's jobs; this host's claimed jobs from memory (progress included).</summary>
internal sealed partial class PgJobStore
{
    public Envelope? FindActive(JobId id)
    {
        if (_claimed.TryGetValue(id, out var envelope))
        {
            return envelope;
        }

        return Load(id) is { State: not (JobState.Succeeded or JobState.Cancelled or JobState.Abandoned) } row ? Transient(row) : null;
    }

    public JobSnapshot? Find(JobId id, DateTimeOffset now) =>
        _claimed.TryGetValue(id, out var envelope) ? Snapshots.Of(envelope) : Load(id) is { } row ? row.Snapshot(RegistrationOf(row)) : null;

    public JobDetail? FindDetail(JobId id, DateTimeOffset now)
    {
        if (_claimed.TryGetValue(id, out var envelope))
        {
            return Snapshots.DetailOf(envelope);
        }

        if (Load(id) is not { } row)
        {
            return null;
        }

        var registration = RegistrationOf(row);
        var rebuilt = registration is null ? null : row.Rebuild(registration, _codec, row.State, out _);
        return new JobDetail(row.Snapshot(registration), rebuilt?.Message, null, rebuilt?.Failures ?? MessageCodec.ReadFailures(row.Failures));
    }

    public IReadOnlyList<HostSnapshot> GetHosts()
    {
        using var command = PgCommands.Command(_source, Sql.Hosts);
        using var reader = command.ExecuteReader();
        var hosts = new List<HostSnapshot>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            hosts.Add(new HostSnapshot(name, reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), Workers(reader.GetString(3)),
                (int)reader.GetInt64(4), string.Equals(name, Host, StringComparison.Ordinal)));
        }

        return hosts;
    }

    /// <summary>The hosts row's queues, as the heartbeat writes them: "name:workers,name:workers".</summary>
    private static Dictionary<string, int> Workers(string queues)
    {
        var workers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in queues.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && int.TryParse(entry.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
            {
                workers[entry[..colon]] = count;
            }
        }

        return workers;
    }

    public JobPage Query(JobQuery query, DateTimeOffset now)
    {
        using var command = PgCommands.Command(_source, Sql.Page(query.OldestFirst), query.State is { } state ? (short)state : null, query.Queue, query.Skip, query.Take);
        using var reader = command.ExecuteReader();
        var items = new List<JobSnapshot>();
        var total = 0;
        while (reader.Read())
        {
            var row = PgRow.Read(reader);
            total = (int)reader.GetInt64(PgSql.ColumnCount);
            items.Add(_claimed.TryGetValue(JobId.Parse(row.Id), out var envelope) ? Snapshots.Of(envelope) : row.Snapshot(RegistrationOf(row)));
        }

        if (items.Count == 0 && query.Skip > 0)
        {
            total = (int)(Query(new JobQuery { State = query.State, Queue = query.Queue, Take = 1 }, now).TotalCount);
        }

        return new JobPage(items, total, query.Skip, query.Take);
    }

    /// <summary>The table's Failed rows are the dead letters: one list for every host.</summary>
    public DeadLetter? AddDeadLetter(Envelope envelope, DeadLetter letter) => null;

    public Envelope? TakeDeadLetter(JobId id) => Load(id) is { State: JobState.Failed } row ? Transient(row) : null;

    public IReadOnlyList<DeadLetter> GetDeadLetters()
    {
        var letters = new List<DeadLetter>();
        foreach (var row in PgCommands.Rows(_source, Sql.DeadLetters, _context.Options.DeadLetterCapacity))
        {
            var envelope = Transient(row);
            var error = new StoredError(row.ErrorType ?? "InProc.PostgreSql.UnknownError", row.Error ?? "", row.ErrorStack);
            var message = envelope?.Message ?? System.Text.Encoding.UTF8.GetString(row.Payload);
            letters.Add(new DeadLetter(JobId.Parse(row.Id), message, row.Queue, row.Attempt, error.TypeName, error.Message, row.ErrorStack, error, row.CreatedAt, row.FinishedAt ?? row.CreatedAt));
        }

        return letters;
    }

    public int PurgeDeadLetters() => PgCommands.Run(_source, Sql.Purge);

    private PgRow? Load(JobId id) => PgCommands.Rows(_source, Sql.Row, id.ToString()) is [var row] ? row : null;

    private JobRegistration? RegistrationOf(PgRow row) => _byName.GetValueOrDefault(row.Type);

    /// <summary>A row no host holds, as an envelope in its stored state, for a compare-and-set against the row; null when its type is not registered here.</summary>
    private Envelope? Transient(PgRow row) =>
        RegistrationOf(row) is { } registration && row.LeaseOwner is null ? row.Rebuild(registration, _codec, row.State, out _) : null;
}

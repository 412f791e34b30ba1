using System.Text.Json;

namespace InProc.PostgreSql;

/// <summary>Settings of the PostgreSQL store (<c>UsePostgreSql(connectionString, o =&gt; ...)</c>), validated when InProc starts.</summary>
public sealed class PostgreSqlOptions
{
    /// <summary>Gets or sets the schema that holds InProc's tables.</summary>
    /// <value><c>"inproc"</c>. Lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters. Hosts that share jobs share a schema.</value>
    public string Schema { get; set; } = "inproc";

    /// <summary>Gets or sets how long a claimed job stays this host's without a heartbeat.</summary>
    /// <value>
    /// 30 seconds; from 1 second to 1 hour. A host that dies has its jobs run elsewhere after at most this plus
    /// <see cref="HeartbeatInterval"/>. Leases are measured on the database's clock, never the hosts'.
    /// </value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a host extends its leases, records that it is alive, and takes over expired leases.</summary>
    /// <value>10 seconds; at least 100 ms and at most half of <see cref="LeaseDuration"/>.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how often an idle host looks for due jobs when no notification woke it.</summary>
    /// <value>1 second; from 10 ms to 1 hour. Notifications wake hosts at once; the poll is the fallback, and the only way with <see cref="UseNotifications"/> off.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets whether an enqueue sends a <c>NOTIFY</c> that wakes idle hosts, and each host <c>LISTEN</c>s on a connection of its own.</summary>
    /// <value>
    /// <see langword="true"/>. Set <see langword="false"/> behind PgBouncer in transaction pooling mode, where
    /// <c>LISTEN</c> does not work: hosts then poll every <see cref="PollInterval"/>.
    /// </value>
    public bool UseNotifications { get; set; } = true;

    /// <summary>Gets or sets whether the connections InProc opens from a connection string keep its frequent statements prepared on the server.</summary>
    /// <value>
    /// <see langword="true"/>: Npgsql's <c>Max Auto Prepare</c> is set (to 20) unless the connection string sets it,
    /// so claims and result writes are not parsed and planned again each time. Set <see langword="false"/> behind a
    /// pooler that does not keep prepared statements across transactions (PgBouncer before 1.21, or without
    /// <c>max_prepared_statements</c>). A data source passed to <c>UsePostgreSql</c> is used as it was built.
    /// </value>
    public bool PrepareStatements { get; set; } = true;

    /// <summary>Gets or sets whether InProc creates and migrates its schema at start.</summary>
    /// <value>
    /// <see langword="true"/>. Set <see langword="false"/> where the application may not change the schema: apply
    /// <see cref="PostgreSqlSchema.Script(string)"/> by hand first; start then fails, naming the version it needs, until it is applied.
    /// </value>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>Gets or sets how many finished rows one pruning statement deletes at most.</summary>
    /// <value>1,000; from 1 to 100,000. Finished rows are kept as <see cref="InProcOptions.FinishedJobRetentionPeriod"/> says, and at most <see cref="InProcOptions.FinishedJobRetention"/> of them.</value>
    public int PruneBatchSize { get; set; } = 1_000;

    /// <summary>Gets or sets this host's name in the hosts table and on the leases it holds.</summary>
    /// <value><see langword="null"/>: the machine name, the process id and a random suffix, so a restarted process is a new host.</value>
    public string? HostName { get; set; }

    /// <summary>Gets or sets the System.Text.Json settings messages are stored with.</summary>
    /// <value><see langword="null"/>: <see cref="JsonSerializerDefaults.General"/>. Every host must read what any host writes: use the same settings everywhere.</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }
}

using System.Globalization;

namespace InProc.PostgreSql.Host;

/// <summary>
/// The host's command line: <c>--name value</c> pairs. Every setting a test varies is here, with its default; a new
/// mode adds what it needs (and reads it in its <see cref="IHostMode"/>).
/// </summary>
public sealed class HostArgs
{
    private readonly Dictionary<string, string> _values;

    private HostArgs(Dictionary<string, string> values) => _values = values;

    /// <summary>The Npgsql connection string (required).</summary>
    public string Connection => Required("connection");

    /// <summary>The shared schema (required); its <c>ledger</c> table is made by the test.</summary>
    public string Schema => Required("schema");

    /// <summary>This host's name on its leases and in the ledger (required: the test tells hosts apart by it).</summary>
    public string Name => Required("name");

    /// <summary>The mode: which jobs this host registers and what it enqueues (<see cref="Modes"/>).</summary>
    public string Mode => Text("mode", "ledger");

    public int Workers => Int("workers", 4);

    public TimeSpan Lease => Ms("lease-ms", 2_000);

    public TimeSpan Heartbeat => Ms("heartbeat-ms", 500);

    public TimeSpan Poll => Ms("poll-ms", 200);

    /// <summary>How far this host's <see cref="TimeProvider"/> is from the real clock, in seconds (negative: behind).</summary>
    public int ClockOffsetSeconds => Int("clock-offset-s", 0);

    /// <summary>Jobs this host enqueues once started (0: none), each id printed as <c>ack &lt;id&gt;</c> after EnqueueAsync returned.</summary>
    public int Enqueue => Int("enqueue", 0);

    /// <summary>How long each job works (between its ledger's start and done rows).</summary>
    public int WorkMs => Int("work-ms", 40);

    /// <summary>How long each enqueuing caller pauses after an acknowledged enqueue (0: none).</summary>
    public int PaceMs => Int("pace-ms", 0);

    /// <summary>A delay for the enqueued jobs (ScheduleAsync) in milliseconds; 0 enqueues them due now.</summary>
    public int DelayMs => Int("delay-ms", 0);

    /// <summary>Attempts below this one throw after their work (a retry follows).</summary>
    public int FailUntilAttempt => Int("fail-until-attempt", 0);

    /// <summary>The fixed retry delay; up to 20 attempts.</summary>
    public TimeSpan Retry => Ms("retry-ms", 100);

    public static HostArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"InProc.PostgreSql.Host takes --name value pairs; '{args[i]}' is not one (e.g. --schema t_1 --name h1).");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new HostArgs(values);
    }

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var value) ? value : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private TimeSpan Ms(string name, int fallback) => TimeSpan.FromMilliseconds(Int(name, fallback));

    private string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"InProc.PostgreSql.Host needs --{name}.");
}

namespace InProc.Samples.WebApp;

/// <summary>The sample's choice of job store, from configuration (see Program.cs): memory, a SQLite journal, or PostgreSQL.</summary>
internal static class SampleStore
{
    public static void Use(InProcBuilder inproc, IConfiguration configuration)
    {
        var journal = configuration["Journal"];
        switch (configuration["InProc:Store"])
        {
            case null or "" when journal is { Length: > 0 }:
                inproc.UseSqliteJournal(journal);
                break;
            case null or "" or "Memory":
                break;
            case "PostgreSql" when journal is { Length: > 0 }:
                throw new InvalidOperationException("Both \"Journal\" and \"InProc:Store\" = PostgreSql are set: choose one store (remove Journal to keep the jobs in PostgreSQL).");
            case "PostgreSql":
                var connectionString = configuration.GetConnectionString("InProc") is { Length: > 0 } value ? value
                    : throw new InvalidOperationException("\"InProc:Store\" is PostgreSql but \"ConnectionStrings:InProc\" is not set: give the database's connection string, such as \"Host=localhost;Database=app;Username=app\".");
                inproc.UsePostgreSql(connectionString, o => o.Schema = configuration["InProc:Schema"] is { Length: > 0 } schema ? schema : o.Schema);
                break;
            case var other:
                throw new InvalidOperationException($"\"InProc:Store\" is \"{other}\": use Memory (the default) or PostgreSql, or set \"Journal\" to a SQLite file for a durable single host.");
        }
    }
}

using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Server-side prepared statements for the data source InProc builds from a connection string: the claim, the result
/// write and the insert run thousands of times, and unprepared each is parsed and planned again (the claim's plan
/// costs the server several times its execution). Npgsql's automatic preparation does it per physical connection.
/// </summary>
internal static class PgPreparedStatements
{
    /// <summary>Statements Npgsql keeps prepared per connection: InProc's hot ones, with room for the rest.</summary>
    public const int MaxAutoPrepare = 20;

    /// <summary>
    /// <paramref name="connectionString"/> with <c>Max Auto Prepare</c> set, unless the options turn preparation off
    /// or the connection string already sets it (the application's choice stands).
    /// </summary>
    public static string Apply(string connectionString, PostgreSqlOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!options.PrepareStatements || builder.MaxAutoPrepare > 0 || connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            return connectionString;
        }

        builder.MaxAutoPrepare = MaxAutoPrepare;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }
}

using InProc.PostgreSql.Store;

namespace InProc.PostgreSql;

/// <summary>The SQL that creates InProc's tables, for those who apply schema changes by hand (<see cref="PostgreSqlOptions.ApplyMigrations"/> off).</summary>
public static class PostgreSqlSchema
{
    /// <summary>Gets the schema version this package needs.</summary>
    public static int Version => PgMigrations.Latest;

    /// <summary>The script that brings <paramref name="schema"/> from any earlier version to <see cref="Version"/>; safe to run again.</summary>
    /// <param name="schema">The schema name, as in <see cref="PostgreSqlOptions.Schema"/>.</param>
    /// <returns>One script, to run in one transaction.</returns>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a valid schema name.</exception>
    public static string Script(string schema = "inproc")
    {
        if (PgMigrations.SchemaError(schema) is { } error)
        {
            throw new ArgumentException(error, nameof(schema));
        }

        return PgMigrations.Script(schema);
    }
}

namespace InProc.StoreConformance.Tests;

/// <summary>The contract against the memory store (the embedded default).</summary>
public sealed class MemoryStoreContract : StoreContract<MemoryStore>;

/// <summary>The contract against the SQLite journal.</summary>
public sealed class SqliteStoreContract : StoreContract<SqliteStore>;

/// <summary>The contract against PostgreSQL (the server CI starts).</summary>
public sealed class PostgreSqlStoreContract : StoreContract<PostgreSqlStore>;

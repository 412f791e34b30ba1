using Microsoft.Extensions.DependencyInjection;

namespace InProc.Sqlite.Tests;

public sealed class SqliteJournalOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new SqliteJournalOptions();

        Assert.Equal(SqliteSynchronous.Full, options.Synchronous); // survives a power loss, not only a crash
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.Equal(2_048, options.MaxBatchSize);
        Assert.Equal(1_000, options.PruneBatchSize);
        Assert.Null(options.SerializerOptions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void UseSqliteJournal_EmptyPath_ThrowsAtOnce(string path)
    {
        var builder = new ServiceCollection().AddInProc();

        var error = Assert.Throws<ArgumentException>(() => { builder.UseSqliteJournal(path); });
        Assert.Contains("path of the database file", error.Message, StringComparison.Ordinal);
    }
}

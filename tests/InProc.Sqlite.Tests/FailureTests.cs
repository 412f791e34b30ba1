using InProc.Sqlite.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

public sealed class FailureTests : IDisposable
{
    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task Start_FileOwnedByAnotherOpener_FailsNamingTheFileAndTheProcess()
    {
        using var first = await _journal.StartAsync(b => b.AddJob<WorkJob>());

        using var second = _journal.Build(b => b.AddJob<WorkJob>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync());
        Assert.Contains(_journal.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        await first.StopAsync();
    }

    [Fact]
    public async Task Start_CorruptFile_FailsWithAClearMessage()
    {
        await File.WriteAllTextAsync(_journal.FilePath, new string('x', 8192));
        using var host = _journal.Build(b => b.AddJob<WorkJob>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("not a SQLite database or is damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains(_journal.FilePath, error.Message, StringComparison.Ordinal);

        // Nothing is held after the failure: once the file is moved aside, the next start opens a fresh journal.
        File.Move(_journal.FilePath, _journal.FilePath + ".bad");
        using var next = await _journal.StartAsync(b => b.AddJob<WorkJob>());
        await next.StopAsync();
    }

    [Fact]
    public async Task Start_MissingDirectory_FailsWithAClearMessage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Probe());
        builder.Services.AddInProc().AddJob<WorkJob>().UseSqliteJournal(Path.Combine(_journal.Directory, "nope", "jobs.db"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ReadOnlyDirectory_FailsWithAClearMessage()
    {
        // /sys is read-only for every user, root included (a chmod would not stop root).
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Probe());
        builder.Services.AddInProc().AddJob<WorkJob>().UseSqliteJournal("/sys/jobs.db");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("needs write access to its directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FileOfANewerSchema_IsRefused()
    {
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            await host.StopAsync();
        }

        _journal.Execute("UPDATE schema_version SET version = 99");
        using var newer = _journal.Build(b => b.AddJob<WorkJob>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.StartAsync());
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidOptions_ListsEveryError()
    {
        using var host = _journal.Build(b => b.AddJob<WorkJob>(), journal: o => { o.MaxBatchSize = 0; o.BusyTimeout = TimeSpan.FromHours(1); });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Equal(
            $"SqliteJournalOptions for the journal '{_journal.FilePath}' are not valid: BusyTimeout is 01:00:00; it must be from 00:00:00 to 00:10:00. MaxBatchSize is 0; it must be from 1 to 100,000.",
            error.Message);
    }

    [Fact]
    public async Task Start_TwoMessageTypesWithOneStoredName_IsRefused()
    {
        using var host = _journal.Build(b => b.AddJob<WorkJob>().AddJob<ClashJob>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("share the stored name 'tests.renamed-work'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_DiskFull_ThrowsAndTheJobDoesNotExist()
    {
        using var host = await _journal.StartAsync(b => b.AddJob<WorkJob>());
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var store = JournalDir.Store(host);
        await queue.ScheduleAsync(new Work("fits"), TimeSpan.FromHours(1));

        // The file may not grow by a page: the next commit fails with SQLITE_FULL, as on a full disk.
        store.ExecuteBetweenCommits("PRAGMA max_page_count = 1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await queue.ScheduleAsync(new Work(new string('x', 100_000)), TimeSpan.FromHours(1)));
        Assert.Contains("the job was not stored", error.Message, StringComparison.Ordinal);
        Assert.Contains("the disk is full", error.Message, StringComparison.Ordinal);
        Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetJobs(new JobQuery()).Items); // only the one that fit

        store.ExecuteBetweenCommits("PRAGMA max_page_count = 1073741823");
        await queue.ScheduleAsync(new Work("after"), TimeSpan.FromHours(1)); // the writer goes on once there is room
        Assert.Equal(2, _journal.Rows().Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task EnqueueAsync_MessageThatIsNotJson_ThrowsAndStoresNothing()
    {
        using var host = await _journal.StartAsync(b => b.AddJob<CycleJob>());
        var cycle = new Cycle();
        cycle.Self = cycle;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(cycle));
        Assert.Contains("cannot be stored as JSON", error.Message, StringComparison.Ordinal);
        Assert.Empty(_journal.Rows());
        Assert.Empty(host.Services.GetRequiredService<IJobMonitor>().GetJobs(new JobQuery()).Items);
        await host.StopAsync();
    }

    [Fact]
    public async Task SynchronousMode_IgnoresTheJournal()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Probe());
        services.AddInProc().AddJob<WorkJob>().UseSynchronousMode().UseSqliteJournal(_journal.FilePath);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("inline"));
        Assert.Single(provider.GetRequiredService<Probe>().Runs);
        Assert.False(File.Exists(_journal.FilePath));
    }
}

[JobMessageName("tests.renamed-work")]
public sealed record Clash(string Key);

internal sealed class ClashJob : IJob<Clash>
{
    public Task RunAsync(Clash message, JobContext context) => Task.CompletedTask;
}

public sealed class Cycle
{
    public Cycle? Self { get; set; }
}

internal sealed class CycleJob : IJob<Cycle>
{
    public Task RunAsync(Cycle message, JobContext context) => Task.CompletedTask;
}

using System.Text.Json;
using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: every public enum serializes as its name, with the default and the web options alike.</summary>
public sealed class EnumJsonTests
{
    public static TheoryData<string, JsonSerializerOptions> Options => new()
    {
        { "default", JsonSerializerOptions.Default },
        { "web", JsonSerializerOptions.Web },
    };

    public static TheoryData<JobState> JobStates => [.. Enum.GetValues<JobState>()];

    public static TheoryData<QueueFullMode> FullModes => [.. Enum.GetValues<QueueFullMode>()];

    public static TheoryData<AbandonReason> AbandonReasons => [.. Enum.GetValues<AbandonReason>()];

    [Theory]
    [MemberData(nameof(Options))]
    public async Task GetQueues_Serialized_WritesFullModeAsString(string name, JsonSerializerOptions options)
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var json = JsonSerializer.Serialize(host.Monitor.GetQueues(), options);

        var fullMode = name == "web" ? "fullMode" : "FullMode";
        Assert.Contains($"\"{fullMode}\":\"Wait\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public async Task GetJob_Serialized_WritesStateAsString(string name, JsonSerializerOptions options)
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        var snapshot = await host.WaitForStateAsync(id, JobState.Succeeded);

        var json = JsonSerializer.Serialize(snapshot, options);

        var state = name == "web" ? "state" : "State";
        Assert.Contains($"\"{state}\":\"Succeeded\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(JobStates))]
    public void JobState_Json_RoundTripsAsName(JobState value) => AssertRoundTripsAsName(value);

    [Theory]
    [MemberData(nameof(FullModes))]
    public void QueueFullMode_Json_RoundTripsAsName(QueueFullMode value) => AssertRoundTripsAsName(value);

    [Theory]
    [MemberData(nameof(AbandonReasons))]
    public void AbandonReason_Json_RoundTripsAsName(AbandonReason value) => AssertRoundTripsAsName(value);

    private static void AssertRoundTripsAsName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            var json = JsonSerializer.Serialize(value, options);

            Assert.Equal($"\"{value}\"", json);
            Assert.Equal(value, JsonSerializer.Deserialize<TEnum>(json, options));
        }
    }
}

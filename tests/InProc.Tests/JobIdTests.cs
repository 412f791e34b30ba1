using InProc.Execution;
using InProc.Testing;

namespace InProc.Tests;

public sealed class JobIdTests
{
    [Fact]
    public void ToString_Parse_RoundTrips()
    {
        var id = new JobIdGenerator(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).Next();

        var text = id.ToString();

        Assert.Equal(28, text.Length);
        Assert.Equal(id, JobId.Parse(text));
        Assert.True(JobId.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void Next_SameMillisecond_IsUniqueAndOrderedByCreation()
    {
        var generator = new JobIdGenerator(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids.Select(i => i.ToString()), ids.Select(i => i.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Next_LaterMillisecond_SortsAfter()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var generator = new JobIdGenerator(clock);
        var first = generator.Next();

        clock.AdvanceStepwise(TimeSpan.FromMilliseconds(1));
        var second = generator.Next();

        Assert.True(first < second);
        Assert.Equal(clock.GetUtcNow(), second.CreatedAt);
    }

    [Fact]
    public void Next_TwoProcessesSameMillisecond_DoNotCollide()
    {
        // A restart within the same millisecond is modelled by two generators on the same clock reading.
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var before = new JobIdGenerator(clock);
        var after = new JobIdGenerator(clock);

        var a = Enumerable.Range(0, 1000).Select(_ => before.Next()).ToHashSet();
        var b = Enumerable.Range(0, 1000).Select(_ => after.Next());

        Assert.DoesNotContain(b, a.Contains);
    }

    [Theory]
    // wrong length
    [InlineData("")]
    [InlineData("0123")]
    [InlineData("0123456789abcdef0123456789abc")]
    // not hexadecimal
    [InlineData("0123456789abcdef0123456789ag")]
    // the empty id
    [InlineData("0000000000000000000000000000")]
    public void TryParse_NotAnId_ReturnsFalse(string text)
    {
        Assert.False(JobId.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => JobId.Parse(text));
        Assert.Contains("28 hexadecimal characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Json_WritesTheString()
    {
        var id = new JobIdGenerator(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).Next();

        var json = System.Text.Json.JsonSerializer.Serialize(new { id });

        Assert.Equal($"{{\"id\":\"{id}\"}}", json);
        Assert.Equal(id, System.Text.Json.JsonSerializer.Deserialize<JobId>($"\"{id}\""));
    }
}

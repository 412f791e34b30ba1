namespace InProc.Tests.Recurring;

public sealed class RecurringJobOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RecurringJobOptions();

        Assert.Equal("UTC", options.TimeZone);
        Assert.Null(options.Queue);
        Assert.Equal(MisfirePolicy.RunOnce, options.Misfire);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MisfireThreshold);
        Assert.Equal(10, options.MaxCatchUpRuns);
        Assert.Equal(OverlapPolicy.Skip, options.Overlap);
        Assert.True(options.Enabled);
    }

    [Fact]
    public void PolicyEnums_DefaultValues_AreRunOnceAndSkip()
    {
        Assert.Equal(MisfirePolicy.RunOnce, default(MisfirePolicy));
        Assert.Equal(OverlapPolicy.Skip, default(OverlapPolicy));
    }
}

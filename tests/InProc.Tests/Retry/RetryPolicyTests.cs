namespace InProc.Tests.Retry;

public sealed class RetryPolicyTests
{
    [Theory]
    // attempt that failed → delay before the next one: 2 s doubling
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    // capped at 5 minutes
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(60, 300)]
    public void GetDelay_ExponentialDefaults_DoublesUpToTheCap(int failedAttempt, int expectedSeconds)
    {
        var policy = RetryPolicy.Exponential(maxAttempts: 100);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), policy.GetDelay(failedAttempt));
    }

    [Theory]
    [InlineData(0.0, 0.75)]
    [InlineData(0.5, 0.875)]
    [InlineData(0.999999, 0.99999975)]
    public void GetDelay_WithJitter_StaysBetween75And100Percent(double random, double fraction)
    {
        var policy = RetryPolicy.Exponential(jitter: true);

        var delay = policy.GetDelay(2, random);

        Assert.Equal(TimeSpan.FromSeconds(4).Ticks * fraction, delay.Ticks, precision: 0);
    }

    [Fact]
    public void GetDelay_WithoutJitter_IsExact()
    {
        var policy = RetryPolicy.Exponential(jitter: false);

        Assert.Equal(TimeSpan.FromSeconds(4), policy.GetDelay(2, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.GetDelay(2, 0.9));
    }

    [Fact]
    public void Fixed_SameDelayEveryTime()
    {
        var policy = RetryPolicy.Fixed(4, TimeSpan.FromSeconds(30));

        Assert.False(policy.IsExponential);
        Assert.All(Enumerable.Range(1, 4), a => Assert.Equal(TimeSpan.FromSeconds(30), policy.GetDelay(a)));
    }

    [Fact]
    public void ShouldRetry_CountsTheFirstAttempt()
    {
        var policy = RetryPolicy.Fixed(3, TimeSpan.Zero);
        var error = new IOException();

        Assert.True(policy.ShouldRetry(error, 1));
        Assert.True(policy.ShouldRetry(error, 2));
        Assert.False(policy.ShouldRetry(error, 3));
        Assert.False(RetryPolicy.None.ShouldRetry(error, 1));
    }

    [Fact]
    public void DoNotRetry_ExceptionTypeAndSubclasses_AreNotRetried()
    {
        var basePolicy = RetryPolicy.Exponential();
        var policy = basePolicy.DoNotRetry<ArgumentException>();

        Assert.False(policy.ShouldRetry(new ArgumentException("x"), 1));
        Assert.False(policy.ShouldRetry(new ArgumentNullException("x"), 1));
        Assert.True(policy.ShouldRetry(new IOException(), 1));
        Assert.True(basePolicy.ShouldRetry(new ArgumentException("x"), 1)); // the original is unchanged
    }

    [Fact]
    public void DoNotRetry_Predicate_CombinesWithTypes()
    {
        var policy = RetryPolicy.Exponential()
            .DoNotRetry<ArgumentException>()
            .DoNotRetry(e => e.Message.Contains("permanent", StringComparison.Ordinal));

        Assert.True(policy.IsNotRetried(new IOException("permanent failure")));
        Assert.True(policy.IsNotRetried(new ArgumentException()));
        Assert.False(policy.IsNotRetried(new IOException("transient")));
    }
}

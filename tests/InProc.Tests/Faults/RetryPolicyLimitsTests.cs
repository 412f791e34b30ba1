namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: a retry delay must fit what the scheduler can honour (the next-attempt time must not overflow), so
/// delays above 365 days are refused when the policy is built, naming the parameter and its limit.
/// </summary>
public sealed class RetryPolicyLimitsTests
{
    [Fact]
    public void Fixed_DelayMaxValue_ThrowsSayingAtMost()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Fixed(2, TimeSpan.MaxValue));

        Assert.Equal("delay", error.ParamName);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fixed_DelayJustAbove365Days_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Fixed(3, TimeSpan.FromDays(365) + TimeSpan.FromTicks(1)));

        Assert.Equal("delay", error.ParamName);
    }

    [Fact]
    public void Fixed_Delay365Days_IsAccepted()
    {
        var policy = RetryPolicy.Fixed(3, TimeSpan.FromDays(365));

        Assert.Equal(TimeSpan.FromDays(365), policy.BaseDelay);
        Assert.Equal(3, policy.MaxAttempts);
    }

    [Fact]
    public void Exponential_MaxDelayMaxValue_ThrowsSayingAtMost()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Exponential(maxDelay: TimeSpan.MaxValue));

        Assert.Equal("maxDelay", error.ParamName);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exponential_BaseDelayMaxValue_ThrowsSayingAtMost()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Exponential(baseDelay: TimeSpan.MaxValue));

        Assert.Equal("baseDelay", error.ParamName);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exponential_MaxDelay365Days_IsAccepted()
    {
        var policy = RetryPolicy.Exponential(maxAttempts: 50, baseDelay: TimeSpan.FromDays(1), maxDelay: TimeSpan.FromDays(365));

        Assert.Equal(TimeSpan.FromDays(365), policy.MaxDelay);
    }
}

using InProc.AspNetCore.HealthChecks;

namespace InProc.AspNetCore.Tests.HealthChecks;

public sealed class HealthCheckStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Saturated_SeenOnConsecutiveChecks_KeepsTheFirstTime()
    {
        var state = new HealthCheckState();

        Assert.Equal(T0, state.Saturated("mail", saturated: true, T0));
        Assert.Equal(T0, state.Saturated("mail", saturated: true, T0.AddSeconds(30)));
        Assert.Equal(T0.AddSeconds(40), state.Saturated("default", saturated: true, T0.AddSeconds(40)));
    }

    [Fact]
    public void Saturated_InterruptedByOneCheckBelow_StartsCountingAgain()
    {
        var state = new HealthCheckState();
        state.Saturated("mail", saturated: true, T0);

        Assert.Null(state.Saturated("mail", saturated: false, T0.AddSeconds(30)));
        Assert.Equal(T0.AddSeconds(60), state.Saturated("mail", saturated: true, T0.AddSeconds(60)));
    }

    [Fact]
    public void ExchangeDeadLetters_ReturnsThePreviousCount()
    {
        var state = new HealthCheckState();

        Assert.Equal(0, state.ExchangeDeadLetters(3));
        Assert.Equal(3, state.ExchangeDeadLetters(1));
    }
}

using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: at start-up, in every environment (Production has no ValidateOnBuild), every registered job and
/// middleware must be constructible from the container; the error names the missing service and the class.
/// </summary>
public sealed class ActivationCheckTests
{
    [Fact]
    public async Task StartAsync_JobNeedsUnregisteredServiceInProduction_FailsNamingServiceAndJob()
    {
        using var host = BuildProductionHost(b => b.AddJob<NeedsGatewayJob>().AddJob<PingJob>());

        var error = await FaultChecks.StartupErrorAsync(host);

        AssertStartupErrorNames(error, nameof(IPaymentGateway), nameof(NeedsGatewayJob));
        Assert.DoesNotContain(nameof(PingJob), error!.Message, StringComparison.Ordinal); // the healthy job is not blamed
    }

    [Fact]
    public async Task StartAsync_MiddlewareNeedsUnregisteredServiceInProduction_FailsNamingServiceAndMiddleware()
    {
        using var host = BuildProductionHost(b => b.AddJob<PingJob>().UseMiddleware<NeedsAuditMiddleware>());

        var error = await FaultChecks.StartupErrorAsync(host);

        AssertStartupErrorNames(error, nameof(IAuditSink), nameof(NeedsAuditMiddleware));
    }

    [Fact]
    public async Task StartAsync_EveryDependencyRegisteredInProduction_StartsAndRunsTheJob()
    {
        using var host = BuildProductionHost(
            b => b.AddJob<NeedsGatewayJob>().UseMiddleware<NeedsAuditMiddleware>(),
            s => s.AddSingleton<IPaymentGateway, PaymentGateway>().AddSingleton<IAuditSink, AuditSink>());
        await host.StartAsync().WaitAsync(TestHost.Patience);

        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Charge(7));

        var done = await TestHost.WaitForStateAsync(host.Services, id, JobState.Succeeded);
        Assert.Equal(1, done.Attempt);
        await host.StopAsync().WaitAsync(TestHost.Patience);
    }

    private static IHost BuildProductionHost(Action<InProcBuilder> jobs, Action<IServiceCollection>? services = null) =>
        new HostBuilder()
            .UseEnvironment(Environments.Production)
            .ConfigureServices(s =>
            {
                s.AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
                s.AddSingleton<Probe>();
                jobs(s.AddInProc());
                services?.Invoke(s);
            })
            .Build();

    private static void AssertStartupErrorNames(Exception? error, string service, string user)
    {
        Assert.NotNull(error);
        Assert.True(
            error is OptionsValidationException or InvalidOperationException,
            $"Expected OptionsValidationException or InvalidOperationException, got {error.GetType()}: {error.Message}");
        Assert.Contains(service, error.Message, StringComparison.Ordinal);
        Assert.Contains(user, error.Message, StringComparison.Ordinal);
    }

    internal sealed record Charge(int OrderId);

    internal interface IPaymentGateway
    {
        void Charge(int orderId);
    }

    internal interface IAuditSink
    {
        void Write(string entry);
    }

    internal sealed class PaymentGateway : IPaymentGateway
    {
        public void Charge(int orderId)
        {
        }
    }

    internal sealed class AuditSink : IAuditSink
    {
        public void Write(string entry)
        {
        }
    }

    internal sealed class NeedsGatewayJob(IPaymentGateway gateway) : IJob<Charge>
    {
        public Task RunAsync(Charge message, JobContext context)
        {
            gateway.Charge(message.OrderId);
            return Task.CompletedTask;
        }
    }

    internal sealed class NeedsAuditMiddleware(IAuditSink audit) : IJobMiddleware
    {
        public Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            audit.Write(context.Id.ToString());
            return next();
        }
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace InProc.Execution;

internal sealed class Envelope<TMessage>(JobRegistration<TMessage> registration, TMessage message, JobId id, DateTimeOffset createdAt)
    : Envelope(registration, id, createdAt)
{
    public TMessage Value { get; } = message;

    public override object Message => Value!;

    public override Task RunJobAsync(IServiceProvider services, JobContext context) =>
        services.GetRequiredService<IJob<TMessage>>().RunAsync(Value, context);
}

using Microsoft.Extensions.DependencyInjection;

namespace InProc.Execution;

internal sealed class Envelope<TMessage>(JobRegistration<TMessage> registration, TMessage message, JobId id, DateTimeOffset createdAt, int attempt, bool captureTrace)
    : Envelope(registration, id, createdAt, attempt, captureTrace)
{
    private TMessage? _value = message;

    public override object? Message => _value;

    public override Task RunJobAsync(IServiceProvider services, JobContext context)
    {
        // A null Task would otherwise surface as a bare NullReferenceException in the executor.
        return services.GetRequiredService<IJob<TMessage>>().RunAsync(_value!, context)
            ?? throw new InvalidOperationException(
                $"{Registration.JobType.FullName}.RunAsync returned null instead of a Task for job {Id}. Return a Task (for example Task.CompletedTask), or make RunAsync async.");
    }

    // A value-type message cannot be "released" to null; its default stands for it (the job is cancelled and never runs).
    public override void ReleaseMessage() => _value = default;
}

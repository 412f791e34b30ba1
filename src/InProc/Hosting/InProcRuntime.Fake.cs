using InProc.Execution;

namespace InProc.Hosting;

/// <summary>
/// The seam of InProc.Testing's fake mode, which records jobs instead of running them and runs them later on
/// demand through this runtime (in synchronous mode): the same checks, ids, monitor records and pipeline.
/// </summary>
internal sealed partial class InProcRuntime
{
    /// <summary>Makes the envelope <see cref="EnqueueAsync{TMessage}"/> would make, with its checks and errors, without running or queueing it.</summary>
    public Envelope CreateEnvelopeForFake<TMessage>(TMessage message)
    {
        var envelope = CreateEnvelope(message);
        ThrowIfStopping();
        return envelope;
    }

    /// <summary>Runs a recorded envelope now, as synchronous mode's <see cref="EnqueueAsync{TMessage}"/> does: its failure is thrown.</summary>
    public ValueTask<JobId> RunFakeAsync(Envelope envelope) => RunInlineAsync(envelope);
}

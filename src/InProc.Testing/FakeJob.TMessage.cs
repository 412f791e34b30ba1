namespace InProc.Testing;

/// <summary>A recorded job whose message is a <typeparamref name="TMessage"/>, as <see cref="FakeJobQueue.Enqueued{TMessage}"/> returns it.</summary>
/// <typeparam name="TMessage">The message type asked for.</typeparam>
public sealed class FakeJob<TMessage> : FakeJob
{
    internal FakeJob(FakeJob job)
        : base(job.Envelope, job.RunAt, job.Message)
    {
    }

    /// <summary>Gets the job's message, typed.</summary>
    /// <value>The message exactly as it was enqueued.</value>
    public new TMessage Message => (TMessage)base.Message;
}

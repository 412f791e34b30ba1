namespace InProc.Execution;

internal sealed class JobRegistration<TMessage>(Type jobType, string queueName, RetryPolicy retry, TimeSpan? timeout)
    : JobRegistration(jobType, queueName, retry, timeout)
{
    public override Type MessageType => typeof(TMessage);

    public Envelope<TMessage> CreateEnvelope(TMessage message, JobId id, DateTimeOffset createdAt, bool captureTrace) =>
        new(this, message, id, createdAt, 1, captureTrace);

    public override Envelope CreateEnvelope(object message, JobId id, DateTimeOffset createdAt, int attempt, bool captureTrace) =>
        new Envelope<TMessage>(this, (TMessage)message, id, createdAt, attempt, captureTrace);
}

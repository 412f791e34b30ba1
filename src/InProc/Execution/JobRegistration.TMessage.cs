namespace InProc.Execution;

internal sealed class JobRegistration<TMessage>(Type jobType, string queueName, RetryPolicy retry, TimeSpan? timeout)
    : JobRegistration(jobType, queueName, retry, timeout)
{
    public override Type MessageType => typeof(TMessage);

    public Envelope<TMessage> CreateEnvelope(TMessage message, JobId id, DateTimeOffset createdAt) => new(this, message, id, createdAt);

    public override Envelope CreateEnvelope(object message, JobId id, DateTimeOffset createdAt) => new Envelope<TMessage>(this, (TMessage)message, id, createdAt);
}

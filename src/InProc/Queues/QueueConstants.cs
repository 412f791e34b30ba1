namespace InProc.Queues;

internal static class QueueConstants
{
    public const string DefaultQueueName = "default";
    public const int DefaultWorkers = 4;
    public const int DefaultCapacity = 1_000;
    public const QueueFullMode DefaultFullMode = QueueFullMode.Wait;
}

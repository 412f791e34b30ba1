namespace InProc;

/// <summary>What a queue does with a new job when it already holds <see cref="QueueOptions.Capacity"/> jobs.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<QueueFullMode>))]
public enum QueueFullMode
{
    /// <summary><see cref="IJobQueue.EnqueueAsync{TMessage}"/> waits for space; <see cref="IJobQueue.TryEnqueue{TMessage}"/> returns <see langword="false"/>. The default: no job is lost.</summary>
    Wait = 0,

    /// <summary><see cref="IJobQueue.EnqueueAsync{TMessage}"/> throws <see cref="QueueFullException"/>; <see cref="IJobQueue.TryEnqueue{TMessage}"/> returns <see langword="false"/>.</summary>
    Reject = 1,

    /// <summary>The oldest waiting job is dropped to make room; it is logged and passed to <see cref="InProcOptions.OnAbandoned"/>.</summary>
    DropOldest = 2,

    /// <summary>The job being enqueued is dropped; it is logged and passed to <see cref="InProcOptions.OnAbandoned"/>, and <see cref="IJobQueue.TryEnqueue{TMessage}"/> returns <see langword="false"/>.</summary>
    DropNewest = 3,
}

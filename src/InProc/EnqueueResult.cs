namespace InProc;

/// <summary>What <see cref="IJobQueue.EnqueueWithResultAsync{TMessage}"/> did: the job's id, and whether it was a duplicate.</summary>
/// <param name="Id">
/// The new job's id; for a duplicate, the id of the job that holds the key (the existing job, which may have finished
/// when its scope is <see cref="UniqueScope.Window"/>). Either way a job with this id does the work.
/// </param>
/// <param name="IsDuplicate">
/// <see langword="true"/> when the message's unique key (<see cref="JobOptions{TMessage}.UniqueBy"/>) was held, so no
/// job was created; always <see langword="false"/> for a job without a unique key.
/// </param>
public readonly record struct EnqueueResult(JobId Id, bool IsDuplicate);

using InProc.Execution;

namespace InProc;

/// <summary>What a running job knows about its own execution.</summary>
public sealed class JobContext
{
    private readonly Envelope _envelope;

    internal JobContext(Envelope envelope, CancellationToken cancellationToken)
    {
        _envelope = envelope;
        CancellationToken = cancellationToken;
        Attempt = envelope.Attempt;
        IsRecovery = Attempt == envelope.RecoveredAttempt;
    }

    /// <summary>Gets the job's id: the same for every attempt, so an idempotent job can use it as a key.</summary>
    /// <value>The id <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returned.</value>
    public JobId Id => _envelope.Id;

    /// <summary>Gets the name of the queue the job runs on.</summary>
    /// <value>A queue name, <c>"default"</c> unless <see cref="JobOptions.Queue"/> says otherwise.</value>
    public string Queue => _envelope.Registration.QueueName;

    /// <summary>Gets the attempt that is running.</summary>
    /// <value>1 for the first attempt, 2 for the first retry, and so on.</value>
    public int Attempt { get; }

    /// <summary>
    /// Gets whether this attempt re-runs the job because the process that ran it before died before recording its end
    /// (a crash, an OOM kill, <c>kill -9</c>). Only a durable store (the SQLite journal) can tell: the earlier attempt
    /// may have done part or all of its work, so an idempotent job can check what is already done before redoing it.
    /// </summary>
    /// <value><see langword="true"/> for the first attempt after such a restart (whose <see cref="Attempt"/> is one more than the interrupted one); otherwise <see langword="false"/>.</value>
    public bool IsRecovery { get; }

    /// <summary>Gets when the job was first enqueued or scheduled.</summary>
    /// <value>A UTC time from the application's <see cref="TimeProvider"/>.</value>
    public DateTimeOffset EnqueuedAt => _envelope.CreatedAt;

    /// <summary>Gets a token cancelled when the attempt runs past its timeout or the application stops.</summary>
    /// <value>Pass it to every awaited call, so timeouts and shutdown can stop the job.</value>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reports how far the job has got, for status pages (<see cref="IJobMonitor.GetJob"/>).</summary>
    /// <param name="fraction">Done so far, from 0 to 1.</param>
    /// <param name="status">An optional short text, such as <c>"Rendering page 3 of 10"</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not between 0 and 1.</exception>
    public void ReportProgress(double fraction, string? status = null)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Progress is a fraction from 0 to 1 (0.5 is half done).");
        }

        _envelope.ReportProgress(fraction, status);
    }
}

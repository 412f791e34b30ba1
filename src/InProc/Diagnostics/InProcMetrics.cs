using System.Diagnostics;
using System.Diagnostics.Metrics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Queues;

namespace InProc.Diagnostics;

/// <summary>
/// The <c>"InProc"</c> meter. It observes the lifecycle's change feed (the one place every change goes through)
/// rather than sitting in the enqueue and execute paths, and each measurement is skipped when nothing listens to
/// its instrument. A listener that throws is caught by the feed.
/// </summary>
internal sealed class InProcMetrics : IJobChangeObserver, IDisposable
{
    public const string MeterName = InProcTelemetry.Name;

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _limitWaits;
    private readonly Histogram<double> _limitWaitDuration;

    private readonly TimeProvider _time;

    public InProcMetrics(IMeterFactory? factory, IReadOnlyList<ChannelQueue> queues, TimeProvider time)
    {
        _time = time;
        var version = typeof(InProcMetrics).Assembly.GetName().Version?.ToString();
        _ownsMeter = factory is null;
        _meter = factory?.Create(new MeterOptions(MeterName) { Version = version }) ?? new Meter(MeterName, version);
        _enqueued = _meter.CreateCounter<long>("inproc.job.enqueued", "{job}", "Jobs put on a queue: new, due after a delay, a retry backoff or a rate-limit wait, or re-run from the dead letters.");
        _dropped = _meter.CreateCounter<long>("inproc.job.dropped", "{job}", "Jobs dropped by a full queue (QueueFullMode.DropOldest or DropNewest).");
        _retried = _meter.CreateCounter<long>("inproc.job.retried", "{job}", "Failed attempts that will be retried.");
        _deadLettered = _meter.CreateCounter<long>("inproc.job.dead_lettered", "{job}", "Jobs that failed for good and went to the dead letters.");
        _duration = _meter.CreateHistogram<double>("inproc.job.duration", "s", "How long one attempt ran, whatever its outcome.");
        _duplicates = _meter.CreateCounter<long>("inproc.job.duplicates", "{job}", "Enqueues of a unique job whose key was held: no job was created, the holder's id was returned.");
        _limitWaits = _meter.CreateCounter<long>("inproc.job.limit_waits", "{job}", "Times a job about to start waited on its concurrency or rate limit instead.");
        _limitWaitDuration = _meter.CreateHistogram<double>("inproc.job.limit_wait.duration", "s", "How long a job that waited on a limit waited, from its first wait to its start.");
        _meter.CreateObservableGauge("inproc.queue.depth", () => Depths(queues), "{job}", "Jobs waiting in each queue.");
    }

    public Meter Meter => _meter;

    public void OnChange(in JobChange change)
    {
        if (change.Kind is JobChangeKind.Rejected or JobChangeKind.Forgotten)
        {
            return;
        }

        var envelope = change.Envelope;
        if (change.Reason == AbandonReason.QueueFull)
        {
            Dropped(envelope);
            return;
        }

        switch (change.State)
        {
            case JobState.Enqueued when _enqueued.Enabled:
                _enqueued.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name));
                break;
            case JobState.Retrying:
                RecordDuration(envelope, envelope.Attempt - 1, "failure");
                if (_retried.Enabled)
                {
                    _retried.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name), Tag(TagNames.ErrorType, envelope.Error?.GetType().FullName));
                }

                break;
            case JobState.Succeeded:
                RecordDuration(envelope, envelope.Attempt, null);
                break;
            case JobState.Failed:
                RecordDuration(envelope, envelope.Attempt, "failure");
                if (_deadLettered.Enabled)
                {
                    _deadLettered.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name), Tag(TagNames.ErrorType, envelope.Error?.GetType().FullName));
                }

                break;
        }
    }

    private void Dropped(Envelope envelope)
    {
        if (_dropped.Enabled)
        {
            _dropped.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name));
        }
    }

    public void Duplicate(Envelope envelope)
    {
        if (_duplicates.Enabled)
        {
            _duplicates.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name));
        }
    }

    public void LimitWait(Envelope envelope, JobWaitReason reason)
    {
        if (_limitWaits.Enabled)
        {
            _limitWaits.Add(1, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name), Tag(TagNames.LimitKind, LimitKind(reason)));
        }
    }

    public void LimitWaitEnded(Envelope envelope, JobWaitReason reason, TimeSpan waited)
    {
        if (_limitWaitDuration.Enabled)
        {
            _limitWaitDuration.Record(waited.TotalSeconds, Tag(TagNames.QueueName, envelope.Registration.QueueName), Tag(TagNames.JobType, envelope.Registration.MessageType.Name), Tag(TagNames.LimitKind, LimitKind(reason)));
        }
    }

    private static string LimitKind(JobWaitReason reason) => reason == JobWaitReason.RateLimit ? "rate" : "concurrency";

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static IEnumerable<Measurement<int>> Depths(IReadOnlyList<ChannelQueue> queues)
    {
        foreach (var queue in queues)
        {
            yield return new Measurement<int>(queue.Waiting, Tag(TagNames.QueueName, queue.Name));
        }
    }

    private void RecordDuration(Envelope envelope, int attempt, string? outcome)
    {
        if (!_duration.Enabled || envelope.StartedAt is not { } started)
        {
            return;
        }

        // A finished job carries its end; a retry's attempt ended now (state changes are raised as they happen).
        var ended = envelope.FinishedAt ?? _time.GetUtcNow();
        var tags = new TagList
        {
            { TagNames.QueueName, envelope.Registration.QueueName },
            { TagNames.JobType, envelope.Registration.MessageType.Name },
            { TagNames.JobAttempt, attempt },
        };
        if (outcome is not null)
        {
            tags.Add(TagNames.ErrorType, envelope.Error?.GetType().FullName ?? outcome);
        }

        _duration.Record(Math.Max(0, (ended - started).TotalSeconds), tags);
    }
}

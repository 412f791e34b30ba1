using InProc.Hosting;

namespace InProc.Testing;

/// <summary>
/// The <see cref="IJobQueue"/> of fake mode (<see cref="FakeModeInProcBuilderExtensions.UseFakeMode"/>): records every
/// enqueued and scheduled job instead of running it, and runs them when the test asks, through the real pipeline.
/// Resolve it from the service provider. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var fake = services.GetRequiredService&lt;FakeJobQueue&gt;();
/// await signup.RegisterAsync("ada@example.com");               // code under test enqueues a job
/// var job = Assert.Single(fake.Enqueued&lt;SendWelcomeEmail&gt;());
/// Assert.Equal(42, job.Message.UserId);
/// await fake.RunAllAsync();                                      // runs it (and whatever it enqueues)
/// </code>
/// </example>
public sealed class FakeJobQueue : IJobQueue
{
    private readonly InProcRuntime _runtime;
    private readonly object _lock = new();
    private readonly List<RecordedJob> _jobs = [];

    internal FakeJobQueue(InProcRuntime runtime)
    {
        _runtime = runtime;
        runtime.MarkRecording();
    }

    /// <summary>Gets every job recorded since the last <see cref="Clear"/>, in the order it was enqueued or scheduled.</summary>
    /// <value>A snapshot: jobs that have run stay in it (see <see cref="FakeJob.State"/>); later calls do not change it.</value>
    public IReadOnlyList<FakeJob> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs];
            }
        }
    }

    /// <summary>Gets the recorded jobs that have not run yet, in the order they will run.</summary>
    /// <value>A snapshot of the jobs that are still <see cref="FakeJob.IsPending"/>.</value>
    public IReadOnlyList<FakeJob> Pending
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs.Where(j => j.IsPending)];
            }
        }
    }

    /// <summary>Gets the recorded jobs whose message is a <typeparamref name="TMessage"/>, enqueued or scheduled, run or not.</summary>
    /// <typeparam name="TMessage">The message type (or a base type or interface of it).</typeparam>
    /// <returns>A snapshot, in the order the jobs were recorded; empty when there are none.</returns>
    public IReadOnlyList<FakeJob<TMessage>> Enqueued<TMessage>()
    {
        lock (_lock)
        {
            return [.. _jobs.Where(j => j.Message is TMessage).Select(j => new FakeJob<TMessage>(j))];
        }
    }

    /// <summary>Forgets every recorded job; the ones that have not run never will.</summary>
    public void Clear()
    {
        RecordedJob[] jobs;
        lock (_lock)
        {
            jobs = [.. _jobs];
            _jobs.Clear();
        }

        foreach (var job in jobs)
        {
            if (job.TryClaim())
            {
                _runtime.Lifecycle.Forget(job.Envelope); // never ran and never will: unknown to IJobMonitor, as if never enqueued
            }
        }
    }

    /// <summary>
    /// Runs the pending jobs one after another, in the order they were recorded, each through the real pipeline (a DI
    /// scope, middleware, timeout) in the caller: no worker task runs them. Jobs they enqueue are recorded and run too, after the ones
    /// already waiting, until none is left. Scheduled jobs run as well, whatever their time.
    /// </summary>
    /// <param name="maxJobs">The most jobs to run: a job that keeps enqueueing others fails the test instead of hanging it.</param>
    /// <returns>How many jobs ran.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxJobs"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxJobs"/> jobs would run.</exception>
    /// <exception cref="Exception">
    /// A job failed: its own exception, unchanged, as synchronous mode throws it. The failed job is
    /// <see cref="JobState.Failed"/> (in the dead letters); the jobs after it have not run and are still pending.
    /// </exception>
    public async Task<int> RunAllAsync(int maxJobs = TestingConstants.DefaultMaxJobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxJobs, 1);
        var ran = 0;
        var from = 0; // jobs before it are all claimed, and a claimed job never becomes pending again
        while (true)
        {
            RecordedJob? next = null;
            lock (_lock)
            {
                var index = from < _jobs.Count ? _jobs.FindIndex(from, j => !j.IsClaimed) : -1;
                if (index >= 0)
                {
                    next = _jobs[index];
                    from = index;
                }
            }

            if (next is null)
            {
                return ran;
            }

            if (ran == maxJobs)
            {
                throw new InvalidOperationException(
                    $"RunAllAsync ran {maxJobs} jobs and more are pending (the next: {next}). A job probably enqueues " +
                    "another without end; run them one at a time with RunAsync, or pass a larger maxJobs.");
            }

            if (!next.TryClaim())
            {
                continue; // run or cancelled by another thread meanwhile
            }

            await _runtime.RunFakeAsync(next.Envelope).ConfigureAwait(false);
            ran++;
        }
    }

    /// <summary>
    /// Runs one pending job through the real pipeline, in the caller. Jobs it enqueues are recorded, not run.
    /// </summary>
    /// <param name="id">The job's id, as the enqueueing call returned it or <see cref="FakeJob.Id"/> tells.</param>
    /// <returns>A task that completes when the job has finished.</returns>
    /// <exception cref="InvalidOperationException">No pending job has this id: it was never recorded, was cleared, has run or was cancelled.</exception>
    /// <exception cref="Exception">The job failed: its own exception, unchanged; the job is <see cref="JobState.Failed"/>.</exception>
    public async Task RunAsync(JobId id)
    {
        RecordedJob? job;
        lock (_lock)
        {
            job = _jobs.Find(j => j.Id == id);
        }

        if (job is null)
        {
            throw new InvalidOperationException($"No job {id} was recorded (or it was cleared). Recorded: {Describe(All)}.");
        }

        if (!job.TryClaim())
        {
            throw new InvalidOperationException($"Job {job} has already run or was cancelled; only a pending job can be run.");
        }

        await _runtime.RunFakeAsync(job.Envelope).ConfigureAwait(false);
    }

    /// <summary>Records a job to run now, without running it.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Not used: a fake queue is never full.</param>
    /// <returns>The job's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    public ValueTask<JobId> EnqueueAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default) =>
        new(Record(message, runAt: null));

    /// <summary>Records a job to run now, without running it.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="id">The job's id.</param>
    /// <returns>Always <see langword="true"/>: a fake queue is never full.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    public bool TryEnqueue<TMessage>(TMessage message, out JobId id)
    {
        id = Record(message, runAt: null);
        return true;
    }

    /// <summary>Records a job scheduled to run after <paramref name="delay"/>, without running it.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="delay">How long the job would wait; zero or negative records it as enqueued to run now.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>The job's id; <see cref="FakeJob.RunAt"/> is the time of the call plus <paramref name="delay"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, TimeSpan delay, CancellationToken cancellationToken = default) =>
        ScheduleAsync(message, _runtime.Time.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero), cancellationToken);

    /// <summary>Records a job scheduled to run at <paramref name="runAt"/>, without running it.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="runAt">When the job would run; a time that is not in the future records it as enqueued to run now.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>The job's id; its state is <see cref="JobState.Scheduled"/> until the test runs it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, DateTimeOffset runAt, CancellationToken cancellationToken = default) =>
        new(Record(message, runAt > _runtime.Time.GetUtcNow() ? runAt : null));

    /// <summary>
    /// Records a job like <see cref="EnqueueAsync{TMessage}"/> (or, with a future <paramref name="runAt"/>,
    /// <see cref="ScheduleAsync{TMessage}(TMessage, DateTimeOffset, CancellationToken)"/>), and says whether it was a
    /// duplicate of a unique job: a duplicate is not recorded, and the result carries the recorded holder's id.
    /// </summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="runAt">When the job would run; <see langword="null"/> or a time that is not in the future records it as enqueued to run now.</param>
    /// <param name="cancellationToken">Not used: a fake queue is never full.</param>
    /// <returns>The job's id and whether it was a duplicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, the application is stopping, or the unique key selector failed.</exception>
    public ValueTask<EnqueueResult> EnqueueWithResultAsync<TMessage>(TMessage message, DateTimeOffset? runAt = null, CancellationToken cancellationToken = default)
    {
        var at = runAt is { } time && time > _runtime.Time.GetUtcNow() ? runAt : null;
        var id = Record(message, at, out var duplicate);
        return new ValueTask<EnqueueResult>(new EnqueueResult(id, duplicate));
    }

    /// <summary>Cancels a pending job: it stays recorded, as <see cref="JobState.Cancelled"/>, and never runs.</summary>
    /// <param name="id">The job's id.</param>
    /// <returns><see langword="true"/> when the job was pending and is now cancelled; <see langword="false"/> when it is unknown, has run or was cancelled.</returns>
    public bool Cancel(JobId id)
    {
        RecordedJob? job;
        lock (_lock)
        {
            job = _jobs.Find(j => j.Id == id);
        }

        return job is not null && job.TryClaim() && _runtime.Lifecycle.TryCancel(job.Envelope);
    }

    private JobId Record<TMessage>(TMessage message, DateTimeOffset? runAt) => Record(message, runAt, out _);

    private JobId Record<TMessage>(TMessage message, DateTimeOffset? runAt, out bool duplicate)
    {
        var envelope = _runtime.RecordForFake(message, runAt, out var holder);
        duplicate = envelope is null;
        if (envelope is null)
        {
            return holder; // a unique job's key is held: nothing new is recorded
        }

        lock (_lock)
        {
            _jobs.Add(new RecordedJob(envelope, runAt));
        }

        return envelope.Id;
    }

    private static string Describe(IReadOnlyList<FakeJob> jobs) =>
        jobs.Count == 0 ? "none" : string.Join("; ", jobs);
}

using InProc.Execution;
using InProc.Store;
using InProc.Tests.Support;

namespace InProc.Tests.Store;

public sealed class FinishedRingTests
{
    private static readonly JobRegistration<string> Registration = new(typeof(object), "default", RetryPolicy.Fixed(100, TimeSpan.Zero), null);
    private static readonly DateTimeOffset Epoch = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Epoch.AddDays(1);

    [Fact]
    public void The_ring_keeps_the_newest_records_and_finds_them_newest_first()
    {
        var ring = new FinishedRing(3, TimeSpan.FromDays(7));
        for (var sequence = 1; sequence <= 5; sequence++)
        {
            ring.Add(Finished(sequence));
        }

        var all = new List<JobSnapshot>();
        ring.CopyTo(all, (_, _) => true, Now);

        Assert.Equal(3, ring.Count);
        Assert.Equal([5L, 4L, 3L], all.Select(s => s.Id.Sequence));
        Assert.Null(ring.Find(Id(2), Now));
        Assert.Equal(JobState.Succeeded, ring.Find(Id(4), Now)?.State);
    }

    [Fact]
    public void A_retired_record_is_no_longer_found()
    {
        var ring = new FinishedRing(4, TimeSpan.FromDays(7));
        var slot = ring.Add(Finished(1));
        ring.Add(Finished(2));

        ring.Retire(Id(1), slot);
        ring.Retire(Id(2), slot); // not that slot's job: nothing changes

        Assert.Null(ring.Find(Id(1), Now));
        Assert.NotNull(ring.Find(Id(2), Now));
    }

    [Fact]
    public async Task Writers_racing_on_a_ring_smaller_than_their_number_never_tear_a_record_and_leave_it_full()
    {
        // 4 writers on 3 slots and a reader copying all the while: every record read must be one job's, whole (its times
        // and attempt are functions of its id), and once the writers are done the ring holds 3 distinct jobs.
        const int writers = 4;
        const int perWriter = 20_000;
        var ring = new FinishedRing(3, TimeSpan.FromDays(7));
        var envelopes = Enumerable.Range(1, writers * perWriter).Select(s => Finished(s)).ToArray();
        using var done = new CancellationTokenSource();
        var torn = 0;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var reader = Task.Run(() =>
        {
            var copy = new List<JobSnapshot>();
            while (!done.IsCancellationRequested)
            {
                copy.Clear();
                ring.CopyTo(copy, (_, _) => true, Now);
                torn += copy.Count(s => !IsWhole(s));
                reading.TrySetResult();
            }
        });
        await reading.Task.WaitAsync(TestHost.Patience); // the writers start once the reader is reading
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = w; i < envelopes.Length; i += writers)
            {
                ring.Add(envelopes[i]);
            }
        })).ToArray();

        await Task.WhenAll(writing).WaitAsync(TestHost.Patience);
        await done.CancelAsync();
        await reader.WaitAsync(TestHost.Patience);

        var final = new List<JobSnapshot>();
        ring.CopyTo(final, (_, _) => true, Now);
        Assert.Equal(0, torn);
        Assert.Equal(3, final.Select(s => s.Id).Distinct().Count());
        Assert.All(final, s => Assert.True(IsWhole(s)));
    }

    private static bool IsWhole(JobSnapshot snapshot)
    {
        var sequence = snapshot.Id.Sequence;
        return snapshot.EnqueuedAt == Epoch.AddTicks(sequence)
            && snapshot.StartedAt == Epoch.AddTicks(2 * sequence)
            && snapshot.FinishedAt == Epoch.AddTicks(3 * sequence)
            && snapshot.Attempt == 1 + (int)(sequence % 50);
    }

    private static JobId Id(long sequence) => new(Epoch.ToUnixTimeMilliseconds(), sequence);

    private static Envelope Finished(long sequence)
    {
        var attempt = 1 + (int)(sequence % 50);
        var envelope = Registration.CreateEnvelope("message", Id(sequence), Epoch.AddTicks(sequence), attempt, captureTrace: false);
        envelope.StartedAt = Epoch.AddTicks(2 * sequence);
        envelope.FinishedAt = Epoch.AddTicks(3 * sequence);
        Assert.True(envelope.TryTransition(JobState.Enqueued, attempt, JobState.Succeeded, attempt));
        return envelope;
    }
}

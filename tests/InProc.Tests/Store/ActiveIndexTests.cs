using InProc.Execution;
using InProc.Store;

namespace InProc.Tests.Store;

public sealed class ActiveIndexTests
{
    private static readonly JobRegistration<string> Registration = new(typeof(object), "default", RetryPolicy.None, null);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ring_is_twice_the_expected_active_jobs_rounded_up_to_a_power_of_two_within_its_bounds()
    {
        Assert.Equal(1 << 10, new ActiveIndex(0).SlotCount);
        Assert.Equal(1 << 11, new ActiveIndex(1_004).SlotCount); // the default queue: 1,000 + 4 workers → 2,008 → 2,048
        Assert.Equal(1 << 19, new ActiveIndex(200_001).SlotCount);
        Assert.Equal(1 << 20, new ActiveIndex(int.MaxValue).SlotCount);
    }

    [Fact]
    public void A_job_whose_slot_is_held_by_an_older_active_job_is_found_in_the_overflow_and_both_stay_findable()
    {
        var index = new ActiveIndex(0);
        var older = NewEnvelope(sequence: 5);
        var later = NewEnvelope(sequence: 5 + index.SlotCount); // the same slot, one turn of the ring later

        index.Add(older);
        index.Add(later);

        Assert.Same(older, index.Find(older.Id));
        Assert.Same(later, index.Find(later.Id));
        Assert.Equal(2, index.Count);

        index.Remove(older);
        Assert.Null(index.Find(older.Id));
        Assert.Same(later, index.Find(later.Id)); // removing the ring's occupant never drops the overflow's job

        index.Remove(later);
        Assert.Null(index.Find(later.Id));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Removing_a_job_that_is_not_there_changes_nothing()
    {
        var index = new ActiveIndex(0);
        var present = NewEnvelope(sequence: 7);
        var absentSameSlot = NewEnvelope(sequence: 7 + index.SlotCount);
        index.Add(present);

        index.Remove(absentSameSlot);
        index.Remove(NewEnvelope(sequence: 8));

        Assert.Same(present, index.Find(present.Id));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void An_id_that_maps_to_an_occupied_slot_but_is_unknown_is_not_found()
    {
        var index = new ActiveIndex(0);
        var present = NewEnvelope(sequence: 9);
        index.Add(present);

        Assert.Null(index.Find(new JobId(present.Id.CreatedAt.ToUnixTimeMilliseconds(), 9 + index.SlotCount)));
    }

    [Fact]
    public void A_removed_job_added_again_is_found_again_and_copied_once()
    {
        var index = new ActiveIndex(0);
        var envelope = NewEnvelope(sequence: 11);
        var blocker = NewEnvelope(sequence: 11 + index.SlotCount);
        index.Add(envelope);
        index.Remove(envelope);
        index.Add(blocker); // takes the freed slot
        index.Add(envelope); // a dead letter's re-run: its slot is taken now, so it goes to the overflow

        var all = new List<Envelope>();
        index.CopyTo(all, _ => true);

        Assert.Same(envelope, index.Find(envelope.Id));
        Assert.Equal(2, all.Count);
        Assert.Contains(envelope, all);
        Assert.Contains(blocker, all);
    }

    [Fact]
    public async Task Concurrent_adds_and_removes_across_many_turns_of_the_ring_leave_exactly_the_jobs_not_removed()
    {
        var index = new ActiveIndex(0);
        const int PerThread = 20_000;
        const int Threads = 4;

        // Each thread adds its own ids (interleaved sequences, several turns of a 1,024-slot ring) and removes every
        // other one, so slots collide, fill and free concurrently.
        var tasks = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var kept = new List<Envelope>();
            for (var i = 0; i < PerThread; i++)
            {
                var envelope = NewEnvelope(sequence: (long)i * Threads + t);
                index.Add(envelope);
                if (i % 2 == 0)
                {
                    Assert.Same(envelope, index.Find(envelope.Id));
                    index.Remove(envelope);
                }
                else
                {
                    kept.Add(envelope);
                }
            }

            return kept;
        })).ToArray();

        var kept = (await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(1))).SelectMany(k => k).ToList();

        Assert.Equal(Threads * PerThread / 2, index.Count);
        foreach (var envelope in kept)
        {
            Assert.Same(envelope, index.Find(envelope.Id));
        }

        var copied = new List<Envelope>();
        index.CopyTo(copied, _ => true);
        Assert.Equal(kept.Count, copied.Distinct().Count());
        Assert.Equal(kept.Count, copied.Count);
    }

    private static Envelope NewEnvelope(long sequence) =>
        Registration.CreateEnvelope("message", new JobId(Now.ToUnixTimeMilliseconds(), sequence), Now, captureTrace: false);
}

using System.Collections.Frozen;
using InProc.Execution;
using InProc.Lifecycle;

namespace InProc.Queues;

/// <summary>The first step of every enqueue: check the message, find its registration, stamp an id. No state yet.</summary>
internal sealed class JobAdmission(FrozenDictionary<Type, JobRegistration> registry, TimeProvider time)
{
    private readonly JobIdGenerator _ids = new(time);

    public FrozenDictionary<Type, JobRegistration> Registry => registry;

    public DateTimeOffset Now() => time.GetUtcNow();

    /// <summary>Makes the envelope stamped with <paramref name="now"/>: one clock read serves the id and the creation time.</summary>
    public Envelope Create<TMessage>(TMessage message, DateTimeOffset now)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message), "A job needs a message: pass the message record (ids, not entities).");
        }

        var trace = System.Diagnostics.Activity.Current is not null;
        if (AdmissionTicket.Take() is { } ticket)
        {
            return Ticketed(ticket, message, now, trace);
        }

        if (registry.TryGetValue(typeof(TMessage), out var registration))
        {
            // The common case: the static type is the registered one, so the envelope is typed without a cast.
            if (registration is JobRegistration<TMessage> typed)
            {
                return typed.CreateEnvelope(message, _ids.Next(now), now, trace);
            }
        }
        else if (registry.TryGetValue(message.GetType(), out registration))
        {
            // Enqueued through a base type or interface (e.g. as object): still the registered job.
            return registration.CreateEnvelope(message, _ids.Next(now), now, 1, trace);
        }

        throw new InvalidOperationException(
            $"No job is registered for message type '{message.GetType().FullName}'. " +
            $"Add a class that implements IJob<{message.GetType().Name}> and register it: services.AddInProc().AddJob<YourJob>().");
    }

    /// <summary>A recurring run: its schedule's registration (another queue) when it matches the message, and the id reported back.</summary>
    private Envelope Ticketed(AdmissionTicket ticket, object message, DateTimeOffset now, bool trace)
    {
        var registration = ticket.Registration is { } chosen && chosen.MessageType.IsInstanceOfType(message)
            ? chosen
            : registry.TryGetValue(message.GetType(), out var own) ? own : null;
        if (registration is null)
        {
            throw new InvalidOperationException(
                $"No job is registered for message type '{message.GetType().FullName}'. " +
                $"Add a class that implements IJob<{message.GetType().Name}> and register it: services.AddInProc().AddJob<YourJob>().");
        }

        var envelope = registration.CreateEnvelope(message, _ids.Next(now), now, 1, trace);
        ticket.Id = envelope.Id;
        return envelope;
    }

    /// <summary>The due time of a delay, checked: a delay that no clock can reach is the caller's mistake.</summary>
    public static DateTimeOffset DueAfter(DateTimeOffset now, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero && TimeMath.AddSaturating(now, delay) == DateTimeOffset.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"A delay of {delay} from {now:O} is past the last representable time. Pass a delay that ends before year 9999, or ScheduleAsync(message, runAt) with a time.");
        }

        return now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }
}

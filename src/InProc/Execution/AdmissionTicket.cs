namespace InProc.Execution;

/// <summary>
/// What a recurring run asks of the next admission on its thread: the registration to use (a schedule may send its
/// runs to another queue than the job's own), and the id the admission stamped, read back whether the enqueue
/// returned, refused or threw (synchronous mode throws the job's failure after it ran).
/// </summary>
/// <remarks>
/// Ambient rather than a parameter because a run goes through the public <see cref="IJobQueue"/> the container
/// holds (fake mode's records it), which has no room for either. The first admission on the thread takes the
/// ticket, so a job the run starts inline (synchronous mode) and anything it enqueues never see it.
/// </remarks>
internal sealed class AdmissionTicket(JobRegistration? registration)
{
    [ThreadStatic]
    private static AdmissionTicket? Current;

    /// <summary>The registration the run's envelope gets instead of its message type's, or null for that one.</summary>
    public JobRegistration? Registration { get; } = registration;

    /// <summary>The id the admission gave the run; default until it did.</summary>
    public JobId Id { get; set; }

    /// <summary>Hands this ticket to the next admission on this thread.</summary>
    public void Offer() => Current = this;

    /// <summary>Withdraws a ticket no admission took (a foreign <see cref="IJobQueue"/>), so none takes it later.</summary>
    public static void Withdraw() => Current = null;

    /// <summary>Takes the ticket offered on this thread, if any: once.</summary>
    public static AdmissionTicket? Take()
    {
        var ticket = Current;
        if (ticket is not null)
        {
            Current = null;
        }

        return ticket;
    }
}

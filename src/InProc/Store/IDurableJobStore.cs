using InProc.Execution;
using InProc.Recurring;

namespace InProc.Store;

/// <summary>
/// A store whose jobs outlive the process (the SQLite journal). The runtime asks it, once at start and before
/// any worker runs, for the jobs an earlier process left unfinished; leaves the jobs a graceful stop did not run
/// in it instead of abandoning them; and closes it when the stop has ended.
/// </summary>
internal interface IDurableJobStore : IJobStore
{
    /// <summary>The recurring schedules' last claimed slots, kept with the jobs.</summary>
    IRecurringStateStore RecurringState { get; }

    /// <summary>
    /// Reads what an earlier process left: the returned envelopes are indexed already, each Enqueued (a job that was
    /// running is Enqueued again with its attempt + 1), Scheduled or Retrying (due time kept). Dead letters and
    /// retained finished jobs are loaded too; rows that no longer bind are dead-lettered with the reason. Throws, with
    /// a message that says what to do, when the journal cannot be read.
    /// </summary>
    IReadOnlyList<Envelope> Recover();

    /// <summary>
    /// The stop's form of an abandon: the job becomes Abandoned in this process (workers skip it) while the store
    /// keeps its last recorded state, so the next start runs it. False when the job moved on meanwhile.
    /// </summary>
    bool TryLeaveForRestart(Envelope envelope, JobTransition transition);

    /// <summary>Writes what is still pending and releases the file. Called when the stop has ended; idempotent.</summary>
    void Close();
}

namespace InProc.Store;

/// <summary>One guarded state change: (state, attempt) → (state, attempt).</summary>
internal readonly record struct JobTransition(JobState From, int FromAttempt, JobState To, int ToAttempt)
{
    public bool IsTerminal => To.IsFinal();
}

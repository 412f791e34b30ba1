namespace InProc;

/// <summary>The one definition of a finished state, for every place that asks.</summary>
internal static class JobStateExtensions
{
    /// <summary>Succeeded, Failed, Cancelled or Abandoned: the job will not change again (a dead letter's re-run aside).</summary>
    public static bool IsFinal(this JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled or JobState.Abandoned;
}

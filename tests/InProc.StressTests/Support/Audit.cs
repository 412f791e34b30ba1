namespace InProc.StressTests.Support;

/// <summary>The accounting of every id a caller got back: how many ended each way, and what did not add up.</summary>
internal sealed record Audit(int Accepted, int Succeeded, int Failed, int Cancelled, int Abandoned, int AbandonedForQueueFull, int Runs, int ProblemCount, IReadOnlyList<string> Problems)
{
    public string Summary =>
        $"accepted {Accepted}: succeeded {Succeeded}, failed (dead letters) {Failed}, cancelled {Cancelled}, abandoned {Abandoned} ({AbandonedForQueueFull} for QueueFull); " +
        $"job runs {Runs}; problems {ProblemCount}";

    /// <summary>The summary and the first problems, for an assertion message.</summary>
    public string Report => ProblemCount == 0 ? Summary : Summary + Environment.NewLine + string.Join(Environment.NewLine, Problems);
}

namespace InProc;

/// <summary>What a recurring job does when its next slot comes while the run of an earlier slot still runs.</summary>
public enum OverlapPolicy
{
    /// <summary>The default: the new slot does not run (it is logged and counted); the schedule goes on with the slot after it.</summary>
    Skip = 0,

    /// <summary>The new slot runs at once, beside the one still running.</summary>
    Allow = 1,

    /// <summary>The new slot runs after the one still running has finished.</summary>
    Queue = 2,
}

namespace InProc.Benchmarks.Peers;

/// <summary>How the raw channel's consumer tasks wait for an item.</summary>
public enum ChannelConsumer
{
    /// <summary>
    /// <c>await reader.WaitToReadAsync()</c>, then <c>TryRead</c> until empty (InProc's worker loop today). A bounded
    /// channel completes <em>every</em> pending <c>WaitToReadAsync</c> on each write, so every idle consumer wakes.
    /// </summary>
    WaitToReadTryRead,

    /// <summary><c>await reader.ReadAsync()</c> in a loop: a write hands its item to one waiting reader only.</summary>
    ReadAsync,
}

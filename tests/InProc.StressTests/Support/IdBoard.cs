namespace InProc.StressTests.Support;

/// <summary>The ids producers got back so far, for a canceller to pick from (mostly the newest: those not started yet).</summary>
internal sealed class IdBoard
{
    private const int RecentWindow = 32;

    private readonly object _lock = new();
    private readonly List<JobId> _ids = [];

    public void Add(JobId id)
    {
        lock (_lock)
        {
            _ids.Add(id);
        }
    }

    /// <summary>Picks one of the <see cref="RecentWindow"/> newest ids seven times in ten, else any id.</summary>
    public bool TryPick(Random random, out JobId id)
    {
        lock (_lock)
        {
            if (_ids.Count == 0)
            {
                id = default;
                return false;
            }

            var from = random.Next(10) < 7 ? Math.Max(0, _ids.Count - RecentWindow) : 0;
            id = _ids[random.Next(from, _ids.Count)];
            return true;
        }
    }
}

namespace InProc.Samples.WebApp;

/// <summary>The welcome emails sent so far, in order. A singleton; thread-safe. Tests read it to see what the jobs did.</summary>
public sealed class SentEmails
{
    private readonly List<SentEmail> _sent = [];
    private readonly Lock _lock = new();

    /// <summary>Gets how many emails were sent.</summary>
    /// <value>Zero or more.</value>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sent.Count;
            }
        }
    }

    /// <summary>Records a sent email.</summary>
    /// <param name="email">The email.</param>
    public void Add(SentEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        lock (_lock)
        {
            _sent.Add(email);
        }
    }

    /// <summary>Copies the emails sent so far.</summary>
    /// <returns>A snapshot, oldest first; later sends do not change it.</returns>
    public IReadOnlyList<SentEmail> ToList()
    {
        lock (_lock)
        {
            return [.. _sent];
        }
    }
}

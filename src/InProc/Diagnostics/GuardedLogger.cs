using Microsoft.Extensions.Logging;

namespace InProc.Diagnostics;

/// <summary>
/// Wraps the application's logger so that a logging provider that throws can never break a worker, a timer or
/// the drain: a log line that fails is lost, the job goes on.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
#pragma warning disable CA1031 // A logging provider is user code: whatever it throws is swallowed here, by design.
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            // Nothing to do: the logger itself is what failed.
        }
    }
#pragma warning restore CA1031
}

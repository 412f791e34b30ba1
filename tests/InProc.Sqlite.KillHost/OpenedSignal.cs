using Microsoft.Extensions.Logging;

namespace InProc.Sqlite.KillHost;

/// <summary>Prints "opened" when the journal logs that it opened its file (event 300): recovery is about to run, so a kill now lands in it.</summary>
public sealed class OpenedSignal : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == 300)
        {
            Console.WriteLine("opened");
        }
    }

    public void Dispose()
    {
    }
}

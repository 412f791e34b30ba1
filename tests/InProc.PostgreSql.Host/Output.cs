using Microsoft.Extensions.Logging;

namespace InProc.PostgreSql.Host;

/// <summary>Whole lines on stdout, one writer at a time: what the test reads (ready, ack, lost, ...).</summary>
public sealed class Output
{
    private readonly object _lock = new();

    public void Line(string line)
    {
        lock (_lock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}

/// <summary>
/// InProc's log as lines the test can read: <c>lost &lt;id&gt; &lt;attempt&gt;</c> for a dropped result (event 401),
/// <c>log &lt;event&gt; ...</c> for every warning or error (the take-overs, failed claims, lost LISTEN connections).
/// </summary>
public sealed class OutputLogger(Output output) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == 401 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            var fields = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            output.Line($"lost {fields["JobId"]} {fields["Attempt"]}");
        }

        if (IsEnabled(logLevel))
        {
            output.Line($"log {eventId.Id} {eventId.Name}: {formatter(state, exception).ReplaceLineEndings(" ")}");
        }
    }

    public void Dispose()
    {
    }
}

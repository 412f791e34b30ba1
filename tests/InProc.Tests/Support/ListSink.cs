using InProc.Execution;
using InProc.Scheduling;

namespace InProc.Tests.Support;

/// <summary>A scheduler sink that records what came due, in order.</summary>
internal sealed class ListSink : List<Envelope>, IDueJobSink
{
    public void OnDue(Envelope envelope) => Add(envelope);

    public void OnFault(Envelope envelope)
    {
    }
}

using InProc.Execution;
using InProc.Lifecycle;

namespace InProc.Tests.Support;

/// <summary>Calls back on every change of the lifecycle's feed: how tests wait for a state without polling.</summary>
internal sealed class ChangeObserver(Action<Envelope> onChange) : IJobChangeObserver
{
    public void OnChange(in JobChange change) => onChange(change.Envelope);
}

using System.Diagnostics;
using System.Reflection;

namespace InProc.Diagnostics;

/// <summary>The <see cref="ActivitySource"/> named <c>"InProc"</c>: one activity per job execution, parented to the enqueuer's trace.</summary>
internal static class InProcTelemetry
{
    public const string Name = "InProc";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(InProcTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
}

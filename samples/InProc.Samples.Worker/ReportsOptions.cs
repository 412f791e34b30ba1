namespace InProc.Samples.Worker;

/// <summary>The <c>"Reports"</c> section of appsettings.json.</summary>
public sealed class ReportsOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Reports";

    /// <summary>Gets or sets how often a report job is enqueued.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

namespace DealRisk.Notification;

/// <summary>Configuration section <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>Reports go to <c>&lt;OutputDirectory&gt;/&lt;yyyy-MM-dd&gt;/</c>.</summary>
    public string OutputDirectory { get; set; } = "results";

    /// <summary>Deals listed in the critical alert before it says "and N more".</summary>
    public int MaxDealsPerAlert { get; set; } = 10;
}

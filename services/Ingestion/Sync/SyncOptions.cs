using DealRisk.ServiceDefaults;

namespace DealRisk.Ingestion.Sync;

/// <summary>Configuration <c>Ingestion:Sync</c> (<see cref="IngestionOptions.Sync"/>): the morning sync that starts the daily batch.</summary>
public sealed class SyncOptions
{
    /// <summary>Off unless a deployment turns it on (<c>Ingestion__Sync__Enabled=true</c>): tests and one-off runs never fire it by surprise.</summary>
    public bool Enabled { get; set; }

    /// <summary>Quartz cron (seconds first): 06:00 every day, so the report is out by 07:00.</summary>
    public string Cron { get; set; } = "0 0 6 * * ?";

    /// <summary>Folder where a CRM export job drops its files; the newest one not imported yet is imported first.</summary>
    public string? DropFolder { get; set; }

    /// <summary>Format of dropped files; when empty it follows the file: .jsonl/.ndjson → dealrisk-jsonl, otherwise a file name starting with a format name (salesforce-…, hubspot-…, skygeni-…).</summary>
    public string? Format { get; set; }

    /// <summary>Without any webhook or export within this window, the batch is not started and "data unavailable" is raised instead.</summary>
    public TimeSpan FreshnessWindow { get; set; } = TimeSpan.FromHours(26);

    /// <summary>Null when the cron can be used (it is read in the <see cref="BusinessTimeZone"/>, DST followed); otherwise what is wrong with it.</summary>
    public string? Problem() =>
        Quartz.CronExpression.TryParse(Cron, out _)
            ? null
            : $"Ingestion:Sync:Cron '{Cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week).";
}

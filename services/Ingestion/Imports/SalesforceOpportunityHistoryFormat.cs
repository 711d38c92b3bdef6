using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks.Salesforce;
using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// Salesforce's OpportunityHistory export: one row per change of stage, amount or close date, each stamped with its
/// CreatedDate. Merged into the history of Opportunities imported before, so stalls and pushes become visible.
/// </summary>
public sealed class SalesforceOpportunityHistoryFormat(IOptions<SalesforceOptions> options) : IDealImportFormat
{
    public const string FormatName = "salesforce-history";

    private static readonly string[] RequiredColumns = ["OpportunityId", "StageName", "CreatedDate"];

    public string Name => FormatName;

    public IAsyncEnumerable<ImportRow> ReadAsync(Stream input, CancellationToken cancellationToken) =>
        CsvImportReader.ReadAsync(input, RequiredColumns, Map, cancellationToken);

    private ImportRow Map(CsvRow row)
    {
        var opportunityId = row.RequiredId("OpportunityId");
        var stageName = row.RequiredId("StageName");
        if (!options.Value.Stages.TryGetValue(stageName, out var stage))
            throw new RowRejectedException("StageName", $"Unknown StageName '{stageName}': map it with Crm:Salesforce:Stages:{stageName}=<{string.Join("|", DealStages.All)}>.");
        var at = row.RequiredInstant("CreatedDate");
        var changes = new List<DealChange> { new() { At = at, Field = DealFields.Stage, To = stage } };
        if (row.Amount("Amount") is { } amount)
            changes.Add(new DealChange { At = at, Field = DealFields.Amount, To = amount.ToString(CultureInfo.InvariantCulture) });
        if (row.Date("CloseDate") is { } closeDate)
            changes.Add(new DealChange { At = at, Field = DealFields.CloseDate, To = closeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        return ImportRow.Changes(row.Line, new HistoryRow(SalesforceOpportunity.SourceName, opportunityId, changes));
    }
}

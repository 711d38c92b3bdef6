using DealRisk.Contracts;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// The SkyGeni historical export: one row per deal with its final stage and outcome, no activities or history.
/// Its stage is the last one recorded, so it stands for the whole open life of the deal; "Closed" rows are
/// taken to have been negotiating before they closed.
/// </summary>
public sealed class SkyGeniCsvFormat : IDealImportFormat
{
    public const string FormatName = "skygeni";
    public const string SourceName = "skygeni";

    private static readonly string[] RequiredColumns =
        ["deal_id", "created_date", "closed_date", "sales_rep_id", "industry", "region", "product_type", "lead_source", "deal_stage", "deal_amount", "outcome"];

    private static readonly Dictionary<string, string> OpenStages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Lead"] = DealStages.Lead,
        ["Qualified"] = DealStages.Qualified,
        ["Demo"] = DealStages.Demo,
        ["Proposal"] = DealStages.Proposal,
        ["Negotiation"] = DealStages.Negotiation,
        ["Closed"] = DealStages.Negotiation,
    };

    /// <summary>The export has no expected close date, next step, contacts, activities or account.</summary>
    private static readonly IReadOnlyList<string> Unavailable =
        [DealDataQuality.Account, DealDataQuality.CloseDate, DealDataQuality.NextStep, DealDataQuality.ContactCount, DealDataQuality.LastActivity];

    public string Name => FormatName;

    public IAsyncEnumerable<ImportRow> ReadAsync(Stream input, CancellationToken cancellationToken) =>
        CsvImportReader.ReadAsync(input, RequiredColumns, Map, cancellationToken);

    private static ImportRow Map(CsvRow row)
    {
        var id = row.RequiredId("deal_id");
        var created = row.RequiredDate("created_date");
        var closed = row.Date("closed_date");
        var sourceStage = row.RequiredId("deal_stage");
        if (!OpenStages.TryGetValue(sourceStage, out var openStage))
            throw new RowRejectedException("deal_stage", $"Unknown stage '{sourceStage}': expected one of {string.Join(", ", OpenStages.Keys)}.");
        var amount = row.Amount("deal_amount");
        var outcome = row.Id("outcome");
        bool? won = outcome?.ToLowerInvariant() switch
        {
            null => null,
            "won" => true,
            "lost" => false,
            _ => throw new RowRejectedException("outcome", $"Unknown outcome '{outcome}': expected Won or Lost."),
        };
        if (closed is not null && won is null)
            throw new RowRejectedException("outcome", "A closed deal needs an outcome (Won or Lost).");
        if (closed is null && won is not null)
            throw new RowRejectedException("closed_date", "A deal with an outcome needs its closed_date.");
        if (closed < created)
            throw new RowRejectedException("closed_date", $"closed_date {closed:yyyy-MM-dd} is before created_date {created:yyyy-MM-dd}.");

        var createdAt = new DateTimeOffset(created.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var history = new List<DealChange> { new() { At = createdAt, Field = DealFields.Stage, From = null, To = openStage } };
        var stage = openStage;
        DateTimeOffset? closedAt = null;
        if (closed is { } closedDate)
        {
            closedAt = new DateTimeOffset(closedDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            stage = won == true ? DealStages.ClosedWon : DealStages.ClosedLost;
            history.Add(new DealChange { At = closedAt.Value, Field = DealFields.Stage, From = openStage, To = stage });
        }

        return ImportRow.Valid(row.Line, new DealSnapshot
        {
            Source = SourceName,
            ExternalId = id,
            Version = 0,
            Name = id,
            Owner = row.Name("sales_rep_id"),
            Amount = amount,
            Stage = stage,
            SourceStage = sourceStage,
            CreatedAt = createdAt,
            ClosedAt = closedAt,
            IsClosed = closedAt is not null,
            IsWon = won == true,
            Industry = row.Name("industry"),
            Region = row.Name("region"),
            Product = row.Name("product_type"),
            LeadSource = row.Name("lead_source"),
            History = history,
            UnavailableFields = Unavailable,
            UntrackedFields = DealFields.UntrackedByExports,
        });
    }
}

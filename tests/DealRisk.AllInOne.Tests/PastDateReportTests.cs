using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using DealRisk.Contracts.Json;

namespace DealRisk.AllInOne.Tests;

/// <summary>A batch as of a past day writes each deal into the report as it was known that day, not as it ended.</summary>
[Collection(ImportingCollection.Name)]
public sealed class PastDateReportTests
{
    private static readonly DateTimeOffset Created = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = DateOnly.FromDateTime(Created.AddDays(20).UtcDateTime);

    [Fact]
    public async Task The_report_as_of_a_past_day_shows_stage_amount_owner_days_in_stage_and_data_quality_of_that_day()
    {
        await using var run = await EmbeddedRun.StartAsync("past-date");
        var file = Path.Combine(run.Root, "deals.jsonl");
        await using (var stream = File.Create(file))
            await DealJsonLines.WriteAsync([Mover(), SparseThen(), ExportedAtClose()], stream);
        Assert.Equal("completed", (await run.ImportAsync(file, DealJsonLinesFormat.FormatName)).Status);

        await run.RunBatchAsync(Day);

        var report = await RiskReport.ReadAsync(Path.Combine(run.ReportDirectory(Day), DailyReportWriter.RiskReportFile));
        var mover = report.Rows.Single(row => row["deal_id"] == "MOVER");
        Assert.Equal((DealStages.Qualified, "20000", "rep_a", "20"), (mover["stage"], mover["acv"], mover["owner"], mover["days_in_stage"]));
        Assert.Equal(("false", ""), (mover["data_quality_flag"], mover["missing_fields"]));
        var sparse = report.Rows.Single(row => row["deal_id"] == "SPARSE");
        Assert.Equal(("", "", "true"), (sparse["acv"], sparse["owner"], sparse["data_quality_flag"]));
        Assert.Equal("amount closeDate owner nextStep", sparse["missing_fields"]);
        var exported = report.Rows.Single(row => row["deal_id"] == "EXPORTED");
        Assert.Equal(("Unknown", "", "", ""), (exported["stage"], exported["acv"], exported["owner"], exported["days_in_stage"]));
    }

    /// <summary>Qualified at 20k with rep_a on the day; moved to Negotiation, grew to 90k, changed hands and was won afterwards.</summary>
    private static DealSnapshot Mover() => Complete("MOVER") with
    {
        Version = 5,
        Stage = DealStages.ClosedWon,
        Amount = 90_000m,
        Owner = "rep_b",
        ClosedAt = Created.AddDays(50),
        IsClosed = true,
        IsWon = true,
        History =
        [
            Change(0, DealFields.Stage, null, DealStages.Qualified),
            Change(30, DealFields.Stage, DealStages.Qualified, DealStages.Negotiation),
            Change(35, DealFields.Amount, "20000", "90000"),
            Change(36, DealFields.Owner, "rep_a", "rep_b"),
            Change(50, DealFields.Stage, DealStages.Negotiation, DealStages.ClosedWon),
        ],
    };

    /// <summary>Complete today, but its amount, owner, close date and next step were only entered after the day.</summary>
    private static DealSnapshot SparseThen() => Complete("SPARSE") with
    {
        Version = 2,
        History =
        [
            Change(0, DealFields.Stage, null, DealStages.Demo),
            Change(25, DealFields.Amount, null, "15000"),
            Change(25, DealFields.Owner, null, "rep_c"),
            Change(25, DealFields.CloseDate, null, "2025-04-01"),
            Change(25, DealFields.NextStep, null, "Pricing call"),
        ],
        Stage = DealStages.Demo,
        Amount = 15_000m,
        Owner = "rep_c",
        NextStepUpdatedAt = Created.AddDays(25),
    };

    /// <summary>One row of an export written after the close: only the final stage ("Won") and the closing amount and owner.</summary>
    private static DealSnapshot ExportedAtClose() => Complete("EXPORTED") with
    {
        Stage = DealStages.ClosedWon,
        SourceStage = "Won",
        Amount = 0m,
        Owner = "rep_z",
        ClosedAt = Created.AddDays(40),
        IsClosed = true,
        IsWon = true,
        History = [Change(40, DealFields.Stage, null, DealStages.ClosedWon)],
        UntrackedFields = DealFields.UntrackedByExports,
    };

    private static DealSnapshot Complete(string id) => new()
    {
        Source = "crm",
        ExternalId = id,
        Version = 1,
        Name = id,
        Account = "Acme",
        Owner = "rep_a",
        Amount = 20_000m,
        Stage = DealStages.Qualified,
        CreatedAt = Created,
        CloseDate = new DateOnly(2025, 4, 1),
        Industry = "SaaS",
        Region = "EU",
        LeadSource = "Web",
        NextStep = "Demo",
        ContactCount = 3,
        LastActivityAt = Created.AddDays(5),
    };

    private static DealChange Change(int day, string field, string? from, string? to) => new() { At = Created.AddDays(day), Field = field, From = from, To = to };
}

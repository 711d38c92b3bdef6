using System.Globalization;
using DealRisk.Contracts;
using DealRisk.Features.Domain;
using DealRisk.Ingestion.Imports;
using DealRisk.Notification.Reports;
using DealRisk.Scoring.Rules;
using DealRisk.SyntheticCrm;
using DealRisk.Contracts.Json;

namespace DealRisk.AllInOne.Tests;

/// <summary>~2,000 synthetic deals imported into a fresh embedded host and one batch run as of the export day.</summary>
public sealed class SyntheticRunFixture : IAsyncLifetime
{
    public static readonly SyntheticCrmOptions Options = new() { Seed = 1234, DealCount = 2000, AsOf = new DateOnly(2025, 6, 30) };
    public static readonly DateOnly BatchDay = new(2025, 6, 30);

    public EmbeddedRun Run { get; private set; } = null!;
    public IReadOnlyList<DealSnapshot> Deals { get; private set; } = [];
    public string SampleFile { get; private set; } = "";
    public ImportResult Import { get; private set; } = null!;
    public DailyReportPublished Report { get; private set; } = null!;
    public RiskReport Csv { get; private set; } = null!;
    public string Summary { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Run = await EmbeddedRun.StartAsync("synthetic");
        Deals = SyntheticCrmGenerator.Generate(Options).ToArray();
        SampleFile = Path.Combine(Run.Root, "sample.jsonl");
        await using (var stream = File.Create(SampleFile))
            await DealJsonLines.WriteAsync(Deals, stream);

        Import = await Run.ImportAsync(SampleFile, DealJsonLinesFormat.FormatName);
        Report = await Run.RunBatchAsync(BatchDay);
        Csv = await RiskReport.ReadAsync(Path.Combine(Run.ReportDirectory(BatchDay), DailyReportWriter.RiskReportFile));
        Summary = await File.ReadAllTextAsync(Path.Combine(Run.ReportDirectory(BatchDay), DailyReportWriter.ExecutiveSummaryFile));
    }

    /// <summary>Counted from the generated deals: created on or before the day and not closed by its end.</summary>
    public IEnumerable<string> OpenOnBatchDay()
    {
        var end = new DateTimeOffset(BatchDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return Deals.Where(deal => deal.CreatedAt < end && !(deal.ClosedAt < end)).Select(deal => deal.ExternalId);
    }

    public async Task DisposeAsync() => await Run.DisposeAsync();
}

[Collection(ImportingCollection.Name)]
public sealed class SyntheticRunTests(SyntheticRunFixture run) : IClassFixture<SyntheticRunFixture>
{
    [Fact]
    public void The_import_creates_every_generated_deal()
    {
        Assert.Equal("completed", run.Import.Status);
        Assert.Equal((2000L, 2000L, 0L, 0L), (run.Import.Rows, run.Import.Created, run.Import.Updated, run.Import.Rejected));
    }

    [Fact]
    public void The_risk_report_has_exactly_one_row_per_deal_open_on_the_as_of_date()
    {
        var open = run.OpenOnBatchDay().Order().ToList();

        Assert.InRange(open.Count, 300, 1000);
        Assert.Equal(RiskReport.ExpectedHeader, run.Csv.Header);
        Assert.Equal(open, run.Csv.DealIds.Order());
        Assert.Equal(run.Csv.Rows.Count, run.Csv.DealIds.Distinct().Count());
    }

    [Fact]
    public void Every_row_is_an_open_deal_scored_by_the_rules_at_the_level_its_score_earns()
    {
        var scorer = new RuleScorer(RuleSet.Default());

        Assert.NotEmpty(run.Csv.Rows);
        Assert.All(run.Csv.Rows, row =>
        {
            var score = int.Parse(row["score"], CultureInfo.InvariantCulture);
            Assert.InRange(score, 0, 100);
            Assert.Equal(scorer.LevelOf(score), row["level"]);
            Assert.Equal("rules", row["scorer"]);
            Assert.Contains(row["stage"], DealStages.OpenStages);
            Assert.False(string.IsNullOrWhiteSpace(row["action"]));
            Assert.True(score == 0 || row["top_reasons"].Length > 0, $"{row["deal_id"]} scored {score} without a reason");
        });
        Assert.True(run.Csv.AtLevels(RiskLevels.Critical, RiskLevels.High).Any(), "no deal at risk in a sample built with risk signals");
    }

    [Fact]
    public void The_published_report_counts_agree_with_the_csv()
    {
        var highRisk = run.Csv.AtLevels(RiskLevels.Critical, RiskLevels.High).ToList();

        Assert.Equal(SyntheticRunFixture.BatchDay, run.Report.AsOf);
        Assert.Equal(Path.GetFullPath(run.Run.ReportDirectory(SyntheticRunFixture.BatchDay)), run.Report.ReportDirectory);
        Assert.Equal(run.Csv.Rows.Count, run.Report.OpenDeals);
        Assert.Equal(highRisk.Count, run.Report.HighRiskDeals);
        Assert.Equal(run.Csv.AtLevels(RiskLevels.Critical).Count(), run.Report.CriticalDeals);
        Assert.Equal(run.Csv.Acv(highRisk), run.Report.AcvAtRisk);
    }

    [Fact]
    public void The_executive_summary_leads_with_the_headline()
    {
        var highRisk = run.Csv.AtLevels(RiskLevels.Critical, RiskLevels.High).ToList();
        var headline = $"{highRisk.Count} high-risk deals, {Money.Format(run.Csv.Acv(highRisk))} ACV at risk";

        Assert.StartsWith("# Deal risk — 2025-06-30", run.Summary);
        Assert.Contains($"**{headline}** across {run.Csv.Rows.Count} open deals ({run.Report.CriticalDeals} critical).", run.Summary);
        Assert.Contains("- Scored by: rules", run.Summary);
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        var again = await run.Run.ImportAsync(run.SampleFile, DealJsonLinesFormat.FormatName);

        Assert.Equal("completed", again.Status);
        Assert.Equal((2000L, 0L, 0L, 2000L, 0L), (again.Rows, again.Created, again.Updated, again.Unchanged, again.Rejected));
    }

    [Fact]
    public async Task A_second_batch_for_the_same_day_rewrites_the_report_with_the_same_rows()
    {
        var directory = run.Run.ReportDirectory(SyntheticRunFixture.BatchDay);
        File.Delete(Path.Combine(directory, DailyReportWriter.RiskReportFile));

        var second = await run.Run.RunBatchAsync(SyntheticRunFixture.BatchDay);
        var rewritten = await RiskReport.ReadAsync(Path.Combine(directory, DailyReportWriter.RiskReportFile));

        Assert.NotEqual(run.Report.BatchId, second.BatchId);
        Assert.Equal(run.Report.ReportDirectory, second.ReportDirectory);
        Assert.Equal(Lines(run.Csv), Lines(rewritten));
        Assert.Equal((run.Report.OpenDeals, run.Report.HighRiskDeals, run.Report.CriticalDeals, run.Report.AcvAtRisk),
            (second.OpenDeals, second.HighRiskDeals, second.CriticalDeals, second.AcvAtRisk));
    }

    [Fact]
    public void The_default_scoring_rules_use_only_features_the_feature_service_computes()
    {
        Assert.Empty(RuleSet.Default().Problems());
    }

    private static IEnumerable<string> Lines(RiskReport report) =>
        report.Rows.Select(row => string.Join(",", report.Header.Select(column => row[column]))).Order();
}

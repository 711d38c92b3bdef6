using DealRisk.Contracts;
using DealRisk.Notification.Dashboard;
using DealRisk.Notification.Reports;
using DealRisk.Notification.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Notification.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DailyReportFilesTests
{
    private static readonly DateOnly Yesterday = new(2024, 6, 29);
    private static readonly DateOnly Today = new(2024, 6, 30);

    [Fact]
    public async Task The_summary_says_how_ACV_at_risk_moved_since_yesterday_and_what_model_is_served_in_Markdown_and_HTML()
    {
        await using var notification = await NotificationHarness.StartAsync();
        await notification.DeliverAsync(Promoted("ff-2024-06-28"));
        await Batches.CompleteAsync(notification, Yesterday, Scores.High("D1", amount: 100_000m));

        await Batches.CompleteAsync(notification, Today, Scores.High("D1", amount: 100_000m), Scores.Critical("D2", amount: 40_000m));

        var directory = Path.Combine(notification.OutputDirectory, "2024-06-30");
        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryFile));
        var html = await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryHtmlFile));
        Assert.Contains("ACV at risk up $40k since 2024-06-29 (+1 high-risk deals).", markdown);
        Assert.Contains("- Model status: Model ff-2024-06-28 (FastForest), ROC-AUC 0.812", markdown);
        Assert.Contains("ACV at risk up $40k since 2024-06-29 (+1 high-risk deals)", html);
        Assert.Contains("Model ff-2024-06-28 (FastForest), ROC-AUC 0.812", html);
        var plot = Path.Combine(directory, FeatureImportancePlot.FileName);
        var png = await File.ReadAllBytesAsync(plot);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        File.Copy(plot, Path.Combine(AppContext.BaseDirectory, "screenshots", FeatureImportancePlot.FileName), overwrite: true);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task The_report_the_Slack_summary_and_the_dashboard_say_which_scorer_served_and_why()
    {
        const string why = "rules: Model refused, suspected leakage: amount alone ranks the holdout at ROC-AUC 1.000";
        await using var notification = await NotificationHarness.StartAsync();
        var batchId = Guid.NewGuid();
        await notification.DeliverAsync(Batches.Chunk(batchId, Today, [Scores.High("D1")]) with { ScoredBy = why });

        await notification.DeliverAsync(Batches.Manifest(batchId, Today, 1, new TimeOnly(5, 0)));

        var directory = Path.Combine(notification.OutputDirectory, "2024-06-30");
        Assert.Contains($"- Scored by: {why}", await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryFile)));
        Assert.Contains($"Scored by: {why}", await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryHtmlFile)));
        Assert.Equal(why, Assert.Single(notification.Published<DailyReportPublished>()).ScoredBy);
        var view = await notification.Services.GetRequiredService<DashboardQuery>().BuildAsync(CancellationToken.None);
        Assert.Contains($"Latest report scored by {why}", DashboardPage.Render(view, "cro", "nonce"));
        var slack = SlackBlocks.DailySummary(Summaries.With() with { ScoredBy = [why] }, null);
        Assert.EndsWith($"scored by {why}", slack.Blocks![^1]!["elements"]![0]!["text"]!.GetValue<string>());
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task When_the_rules_are_served_the_summary_says_so_and_no_importance_plot_is_drawn()
    {
        await using var notification = await NotificationHarness.StartAsync();
        await notification.DeliverAsync(Promoted("ff-1"));
        await notification.DeliverAsync(new ScoringFellBackToRules
        {
            CorrelationId = Guid.NewGuid(),
            ModelVersion = "ff-1",
            Reason = "feature drift",
            Drift = [new FeatureDrift { Feature = "days_in_stage", Psi = 0.31 }, new FeatureDrift { Feature = "amount", Psi = 0.12 }],
            FellBackAt = new DateTimeOffset(2024, 6, 29, 12, 0, 0, TimeSpan.Zero),
        });

        await Batches.CompleteAsync(notification, Today, Scores.High("D1"));

        var directory = Path.Combine(notification.OutputDirectory, "2024-06-30");
        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, DailyReportWriter.ExecutiveSummaryFile));
        Assert.Contains("- Model status: Rules fallback since 2024-06-29: feature drift (largest drift: days_in_stage PSI 0.31)", markdown);
        Assert.False(File.Exists(Path.Combine(directory, FeatureImportancePlot.FileName)));
    }

    [Fact]
    public async Task The_Tableau_extract_has_a_file_per_day_and_a_day_reported_again_replaces_only_its_own_file()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var extract = Path.Combine(notification.OutputDirectory, TableauExtract.Directory);

        await Batches.CompleteAsync(notification, Yesterday, Scores.High("D1", amount: 100_000m));
        var yesterdayFile = Path.Combine(extract, TableauExtract.FileName(Yesterday));
        var yesterdayWritten = File.GetLastWriteTimeUtc(yesterdayFile);
        await Batches.CompleteAsync(notification, Today, Scores.High("D1", amount: 90_000m), Scores.Low("D2"));
        await Batches.CompleteAsync(notification, Today, Scores.High("D1", amount: 80_000m), Scores.Low("D2"));

        Assert.Equal([TableauExtract.FileName(Yesterday), TableauExtract.FileName(Today)],
            Directory.GetFiles(extract).Select(Path.GetFileName).Order());
        Assert.Equal(yesterdayWritten, File.GetLastWriteTimeUtc(yesterdayFile));
        var (header, yesterday) = CsvFile.Read(yesterdayFile);
        Assert.Equal(TableauExtract.Columns, header);
        Assert.Equal(TableauExtract.Metrics, yesterday.Select(row => row["metric"]));
        Assert.All(yesterday, row => Assert.Equal("2024-06-29", row["as_of_date"]));
        var (todayHeader, today) = CsvFile.Read(Path.Combine(extract, TableauExtract.FileName(Today)));
        Assert.Equal(TableauExtract.Columns, todayHeader);
        Assert.Equal(8, today.Count);
        Assert.All(today, row => Assert.Equal("2024-06-30", row["as_of_date"]));
        Assert.Equal("80000", today.Single(row => row["deal_id"] == "D1" && row["metric"] == "acv")["value"]);
        Assert.Equal(["60", "80000", "45", "0"], today.Where(row => row["deal_id"] == "D1").Select(row => row["value"]));
        notification.AssertNoFaults();
    }

    [Fact]
    public async Task Spreadsheet_formulas_in_CRM_names_are_neutralised_in_the_Tableau_extract()
    {
        await using var notification = await NotificationHarness.StartAsync();

        await Batches.CompleteAsync(notification, Today, Scores.Of("D1", 60, RiskLevels.High, name: "=HYPERLINK(\"http://evil\")", owner: "@rep"));

        var (_, rows) = CsvFile.Read(Path.Combine(notification.OutputDirectory, TableauExtract.Directory, TableauExtract.FileName(Today)));
        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.Equal("'=HYPERLINK(\"http://evil\")", row["deal_name"]);
            Assert.Equal("'@rep", row["owner"]);
        });
    }

    [Fact]
    public async Task A_cumulative_extract_of_an_earlier_version_is_split_into_day_files_once_and_kept_aside()
    {
        await using var notification = await NotificationHarness.StartAsync();
        var extract = Path.Combine(notification.OutputDirectory, TableauExtract.Directory);
        Directory.CreateDirectory(extract);
        var cumulative = Path.Combine(extract, CumulativeExtractSplit.CumulativeFileName);
        // What an earlier version wrote: days appended in order, a day reported again moved to the end, a quoted line
        // break inside a deal name, a record from before a column was added, and a record without a readable day.
        await File.WriteAllTextAsync(cumulative, string.Join(",", TableauExtract.Columns) + "\n"
            + "2024-06-27,D0,csv,Old,,,,,Demo,LOW,rules,,acv,5\n"
            + "2024-06-28,D0,csv,\"Acme\n=HYPERLINK(\"\"http://evil\"\")\",,,,,Demo,HIGH,rules,,acv,7\n"
            + "2024-06-27,D9,csv,Short,,,,,Demo,LOW\n"
            + "not a day,D8,csv,Lost?,,,,,Demo,LOW,rules,,acv,1\n"
            + "2024-06-30,D7,csv,Replaced,,,,,Demo,LOW,rules,,acv,3\n");

        await Batches.CompleteAsync(notification, Today, Scores.Of("D1", 60, RiskLevels.High));

        Assert.False(File.Exists(cumulative));
        Assert.True(File.Exists(Path.Combine(extract, CumulativeExtractSplit.MigratedFileName)));
        Assert.Equal([TableauExtract.FileName(new DateOnly(2024, 6, 27)), TableauExtract.FileName(new DateOnly(2024, 6, 28)), TableauExtract.FileName(Today)],
            Directory.GetFiles(extract, TableauExtract.FilePattern).Select(Path.GetFileName).Order());
        var (header, day27) = CsvFile.Read(Path.Combine(extract, TableauExtract.FileName(new DateOnly(2024, 6, 27))));
        Assert.Equal(TableauExtract.Columns, header);
        Assert.Equal(["D0", "D9"], day27.Select(row => row["deal_id"]));
        Assert.Equal(("", ""), (day27[1]["metric"], day27[1]["value"]));
        var (_, day28) = CsvFile.Read(Path.Combine(extract, TableauExtract.FileName(new DateOnly(2024, 6, 28))));
        Assert.Equal("Acme =HYPERLINK(\"http://evil\")", Assert.Single(day28)["deal_name"]);
        var (_, today) = CsvFile.Read(Path.Combine(extract, TableauExtract.FileName(Today)));
        Assert.Equal(["D1"], today.Select(row => row["deal_id"]).Distinct());
        Assert.Empty(Directory.GetFiles(extract, "*.tmp"));
        notification.AssertNoFaults();

        await Batches.CompleteAsync(notification, Today, Scores.Of("D2", 60, RiskLevels.High));

        Assert.Equal(3, Directory.GetFiles(extract, TableauExtract.FilePattern).Length);
        Assert.Equal(2, CsvFile.Read(Path.Combine(extract, TableauExtract.FileName(new DateOnly(2024, 6, 27)))).Records.Count);
    }

    [Fact]
    public async Task Line_breaks_in_CRM_text_become_spaces_in_the_risk_report()
    {
        await using var notification = await NotificationHarness.StartAsync();

        await Batches.CompleteAsync(notification, Today, Scores.Of("D1", 60, RiskLevels.High, name: "Acme\r\n=1+1\u2028x", owner: "rep\none"));

        var report = Path.Combine(notification.OutputDirectory, "2024-06-30", "risk-report.csv");
        var (_, rows) = CsvFile.Read(report);
        var row = Assert.Single(rows);
        Assert.Equal(("Acme =1+1 x", "rep one"), (row["name"], row["owner"]));
        Assert.Equal(2, File.ReadAllLines(report).Length);
    }

    private static ModelPromoted Promoted(string version) => new()
    {
        CorrelationId = Guid.NewGuid(),
        ModelVersion = version,
        Trainer = "FastForest",
        Metrics = Metrics(0.812),
        RulesMetrics = Metrics(0.70),
        TrainedFrom = new DateOnly(2022, 1, 1),
        TrainedTo = new DateOnly(2024, 6, 1),
        TrainingDeals = 5000,
        FeatureImportances =
        [
            new FeatureImportance { Feature = "days_in_stage", Importance = 0.12 },
            new FeatureImportance { Feature = "rep_win_rate", Importance = 0.08 },
            new FeatureImportance { Feature = "amount", Importance = 0.03 },
        ],
        PromotedAt = new DateTimeOffset(2024, 6, 28, 3, 0, 0, TimeSpan.Zero),
    };

    private static ModelMetrics Metrics(double auc) => new()
    {
        RocAuc = auc, PrAuc = 0.6, PrecisionAtAlert = 0.5, RecallAtAlert = 0.6, BrierScore = 0.2, HoldoutDeals = 1000,
    };
}

using System.Globalization;
using CsvHelper;
using DealRisk.Contracts;
using DealRisk.Notification.Movers;
using DealRisk.Notification.Reports;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

/// <summary>The report reads a batch's deals from its chunks' columns: it must write what the materialized scores would.</summary>
public sealed class ReportRowTests : IDisposable
{
    private static readonly DateOnly Day = new(2024, 6, 30);
    private readonly TempDirectory _directory = new();

    [Fact]
    public void A_rows_top_change_read_from_the_columns_is_the_movements_top_change()
    {
        var chunk = Decoded(Varied());

        for (var row = 0; row < chunk.Count; row++)
        {
            var expected = MovementText.TopChange(chunk[row].Movement);
            Assert.Equal(expected, ReportRow.Of(chunk, row).Movement?.TopChange() ?? "");
        }
        Assert.Contains(chunk.All(), score => MovementText.TopChange(score.Movement).StartsWith("no longer: ", StringComparison.Ordinal));
        Assert.Contains(chunk.All(), score => MovementText.TopChange(score.Movement).Contains(" → ", StringComparison.Ordinal));
        Assert.Contains(chunk.All(), score => MovementText.TopChange(score.Movement) == "Stage moved back");
    }

    [Fact]
    public async Task The_risk_report_and_the_extract_written_from_the_columns_equal_those_written_from_the_scores()
    {
        var chunk = Decoded(Varied());

        var fromColumns = await WriteAsync("columns", Enumerable.Range(0, chunk.Count).Select(row => ReportRow.Of(chunk, row)));
        var fromScores = await WriteAsync("scores", chunk.All().Select(ReportRow.Of));

        Assert.Equal(File.ReadAllText(fromScores.Report), File.ReadAllText(fromColumns.Report));
        Assert.Equal(File.ReadAllText(fromScores.Extract), File.ReadAllText(fromColumns.Extract));
        var (_, rows) = CsvFile.Read(fromColumns.Report);
        Assert.Equal(chunk.Count, rows.Count);
        Assert.Equal("'-25", rows[2]["score_delta"]);
        Assert.Equal("nextStep contactCount", rows[1]["missing_fields"]);
        Assert.Equal("Globex =1+1", rows[1]["name"]);
    }

    [Fact]
    public async Task The_extract_holds_exactly_the_records_written_cell_by_cell()
    {
        var hostile = Scores.Of("D7", 66, RiskLevels.High, name: "Acme, \"North\"\r\nrenewal", owner: "@rep") with { Scorer = "model", ModelVersion = "fasttree-1" };
        hostile = hostile with { Deal = hostile.Deal with { Account = "=HYPERLINK(\"http://x\")", Region = " padded " } };
        var chunk = Decoded([.. Varied(), hostile]);
        var rows = Enumerable.Range(0, chunk.Count).Select(row => ReportRow.Of(chunk, row)).ToList();

        var extract = (await WriteAsync("columns", rows)).Extract;

        var expected = Path.Combine(_directory.Path, "cell-by-cell.csv");
        await using (var csv = CsvWriter.ToFile(expected, new CsvWriterOptions { Injection = CsvInjection.Escape }, FileOptions.None))
        {
            foreach (var column in TableauExtract.Columns) csv.WriteField(column);
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var (metric, value) in new[]
                {
                    ("risk_score", row.Score.ToString(CultureInfo.InvariantCulture)),
                    ("acv", row.Amount?.ToString("0.##", CultureInfo.InvariantCulture) ?? ""),
                    ("days_in_stage", row.DaysInStage?.ToString(CultureInfo.InvariantCulture) ?? ""),
                    ("data_quality_flag", row.DataQualityFlag ? "1" : "0"),
                })
                {
                    foreach (var cell in new[] { "2024-06-30", row.ExternalId, row.Source, row.Name, row.Account, row.Owner, row.Industry, row.Region,
                                 row.Stage, row.Level, row.Scorer, row.ModelVersion, metric, value })
                        csv.WriteField(CsvCell.SingleLine(cell));
                    csv.EndRecord();
                }
            }
        }

        Assert.Equal(await File.ReadAllBytesAsync(expected), await File.ReadAllBytesAsync(extract));
        var (_, records) = CsvFile.Read(extract);
        Assert.Equal(4 * chunk.Count, records.Count);
        Assert.Equal(4, records.Count(record => record["account"] == "'=HYPERLINK(\"http://x\")" && record["deal_name"] == "Acme, \"North\" renewal"));
    }

    [Fact]
    public void The_summary_folded_from_the_columns_equals_the_one_folded_from_the_scores()
    {
        var chunk = Decoded(Varied());
        var fromColumns = new ReportAccumulator(Day, topCount: 2, maxCritical: 2);
        var fromScores = new ReportAccumulator(Day, topCount: 2, maxCritical: 2);

        for (var row = 0; row < chunk.Count; row++)
        {
            fromColumns.Add(ReportRow.Of(chunk, row));
            fromScores.Add(chunk[row]);
        }

        var (columns, scores) = (fromColumns.Build(null), fromScores.Build(null));
        Assert.Equal((scores.OpenDeals, scores.HighRiskDeals, scores.CriticalDeals, scores.AcvAtRisk, scores.DataQualityFlagged),
            (columns.OpenDeals, columns.HighRiskDeals, columns.CriticalDeals, columns.AcvAtRisk, columns.DataQualityFlagged));
        Assert.Equal(scores.DealsByLevel.OrderBy(p => p.Key), columns.DealsByLevel.OrderBy(p => p.Key));
        Assert.Equal(scores.TopDeals.Select(Key), columns.TopDeals.Select(Key));
        Assert.Equal(scores.CriticalDealsToAlert.Select(Key), columns.CriticalDealsToAlert.Select(Key));
        Assert.Equal(2, columns.TopDeals.Count);
        Assert.Equal(scores.BySegment, columns.BySegment);
        Assert.Equal(scores.ByRep, columns.ByRep);
        Assert.Equal(["model fasttree-1", "rules"], columns.Scorers);
        Assert.Equal(scores.Movers.Risers.Select(m => (Key(m.Score), m.Delta, m.MainReason)), columns.Movers.Risers.Select(m => (Key(m.Score), m.Delta, m.MainReason)));
        Assert.Equal(scores.Movers.Fallers.Select(m => (Key(m.Score), m.Delta, m.MainReason)), columns.Movers.Fallers.Select(m => (Key(m.Score), m.Delta, m.MainReason)));
        Assert.Equal(scores.Movers.NewlyCritical.Select(m => m.Score.Deal.ExternalId), columns.Movers.NewlyCritical.Select(m => m.Score.Deal.ExternalId));
        Assert.NotEmpty(columns.Movers.Risers);
        Assert.NotEmpty(columns.Movers.Fallers);
    }

    public void Dispose() => _directory.Dispose();

    private static (string, int, string, int) Key(DealRiskScore score) => (score.Deal.ExternalId, score.Score, score.Level, score.Reasons.Count);

    private async Task<(string Report, string Extract)> WriteAsync(string name, IEnumerable<ReportRow> rows)
    {
        var report = Path.Combine(_directory.Path, $"{name}.csv");
        var output = Path.Combine(_directory.Path, name);
        await using (var csv = new RiskReportCsv(report))
        await using (var extract = new TableauExtract(output, Day))
        {
            foreach (var row in rows)
            {
                csv.Write(row);
                extract.Write(row);
            }
            await extract.CommitAsync(CancellationToken.None);
        }
        return (report, Path.Combine(output, TableauExtract.Directory, TableauExtract.FileName(Day)));
    }

    private static ScoreChunk Decoded(IReadOnlyList<DealRiskScore> scores) => ScoreChunk.Read(ScoreChunk.Of(scores).ToBytes());

    /// <summary>Scores with every kind of movement, ties between signals, missing fields, no amount, hostile and multi-line text.</summary>
    private static IReadOnlyList<DealRiskScore> Varied()
    {
        var at = new DateTimeOffset(2024, 6, 30, 9, 0, 0, TimeSpan.Zero);
        SignalMovement Signal(string name, string? reason, double? pointsFrom, double? pointsTo) =>
            new() { Signal = name, Reason = reason, PointsFrom = pointsFrom, PointsTo = pointsTo };
        ScoreMovement Movement(int previous, string previousLevel, int score, SignalMovement[]? added = null, SignalMovement[]? removed = null,
            SignalMovement[]? changed = null, DealChange[]? changes = null) => new()
        {
            PreviousScore = previous,
            PreviousLevel = previousLevel,
            PreviousAsOf = at.AddDays(-1),
            Delta = score - previous,
            Added = added ?? [],
            Removed = removed ?? [],
            Changed = changed ?? [],
            Contributions = [new ContributionDelta { Feature = "amount", From = 0.1, To = 0.3 }],
            Changes = changes ?? [],
            Summary = "moved",
        };

        var first = Scores.Of("D0", 95, RiskLevels.Critical, amount: 300_000m);
        var missing = Scores.Of("D1", 70, RiskLevels.High, amount: null, name: "Globex\n=1+1", owner: null) with { Scorer = "model", ModelVersion = "fasttree-1" };
        missing = missing with
        {
            Deal = missing.Deal with { DataQualityFlag = true, MissingFields = ["nextStep", "contactCount"] },
            Movement = Movement(40, RiskLevels.Medium, 70, added: [Signal("a", "Tie one", null, 10), Signal("b", "Tie two", null, -10), Signal("c", null, null, 5)]),
        };
        var faller = Scores.Of("D2", 30, RiskLevels.Medium, amount: 50_000m) with
        {
            Movement = Movement(55, RiskLevels.High, 30, removed: [Signal("silence", "No activity for 30 days", 20, null), Signal("slip", "Close date pushed", 25, null)]),
        };
        var changedOnly = Scores.Of("D3", 92, RiskLevels.Critical, amount: 80_000m, industry: null) with
        {
            Movement = Movement(60, RiskLevels.High, 92, changed: [Signal("stage", "Stage moved back", 5, 25), Signal("days", null, 10, 12)],
                changes: [new DealChange { At = at, Field = DealFields.NextStep, From = null, To = "=cmd" }]),
        };
        var crmOnly = Scores.Of("D4", 50, RiskLevels.Medium, amount: 20_000m) with
        {
            Movement = Movement(50, RiskLevels.High, 50, changes:
            [
                new DealChange { At = at.AddHours(-1), Field = DealFields.NextStep, From = "Demo", To = "Call" },
                new DealChange { At = at, Field = "stage", From = "Demo", To = null },
            ]),
        };
        var unchanged = Scores.Of("D5", 10, RiskLevels.Low, amount: 5_000m) with { Movement = Movement(10, RiskLevels.Low, 10) };
        return [first, missing, faller, changedOnly, crmOnly, unchanged, Scores.Of("D6", 88, RiskLevels.Critical, amount: 300_000m)];
    }
}

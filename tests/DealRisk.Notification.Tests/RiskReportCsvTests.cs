using DealRisk.Contracts;
using DealRisk.Notification.Reports;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

public sealed class RiskReportCsvTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task The_report_starts_with_its_header_columns()
    {
        var (header, records) = await WriteAndReadAsync(Scores.High("H1"));

        Assert.Equal(
            ["deal_id", "source", "name", "account", "owner", "acv", "currency", "stage", "days_in_stage", "score", "level", "scorer",
             "model_version", "top_reasons", "action", "data_quality_flag", "missing_fields", "previous_score", "score_delta", "top_change"],
            header);
        Assert.Single(records);
    }

    [Fact]
    public async Task A_row_carries_the_deal_its_score_and_its_reasons()
    {
        var score = Scores.Of("D1", 82, RiskLevels.Critical, amount: 45_000.5m) with { Scorer = "model", ModelVersion = "v7" };
        score = score with { Deal = score.Deal with { DataQualityFlag = true, MissingFields = ["nextStep", "contactCount"] } };

        var (_, records) = await WriteAndReadAsync(score);

        var row = Assert.Single(records);
        Assert.Equal("D1", row["deal_id"]);
        Assert.Equal("test", row["source"]);
        Assert.Equal("45000.5", row["acv"]);
        Assert.Equal("USD", row["currency"]);
        Assert.Equal("45", row["days_in_stage"]);
        Assert.Equal("82", row["score"]);
        Assert.Equal(RiskLevels.Critical, row["level"]);
        Assert.Equal("model", row["scorer"]);
        Assert.Equal("v7", row["model_version"]);
        Assert.Equal("Rep win rate in the bottom 20%; 45 days in Proposal", row["top_reasons"]);
        Assert.Equal("true", row["data_quality_flag"]);
        Assert.Equal("nextStep contactCount", row["missing_fields"]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1")]
    [InlineData("-2")]
    [InlineData("@SUM(A1)")]
    [InlineData("\t=cmd|' /C calc'!A0")]
    [InlineData("\r=1+1")]
    public async Task A_deal_name_a_spreadsheet_would_run_as_a_formula_is_neutralised(string hostile)
    {
        var score = Scores.Of("D1", 50, RiskLevels.Medium, name: hostile);
        score = score with { Deal = score.Deal with { Account = hostile, Owner = hostile } };

        var (_, records) = await WriteAndReadAsync(score);

        var row = Assert.Single(records);
        foreach (var column in new[] { "name", "account", "owner" })
        {
            var cell = row[column];
            Assert.False(StartsLikeAFormula(cell), $"{column} starts with a formula character: {cell}");
            Assert.EndsWith(DealRisk.Notification.Reports.CsvCell.SingleLine(hostile), cell);
        }
    }

    [Fact]
    public async Task Commas_and_quotes_round_trip_through_a_CSV_reader_and_line_breaks_become_spaces()
    {
        const string name = "Acme, Inc. \"Big\" renewal\nphase two";
        var score = Scores.Of("D1", 50, RiskLevels.Medium, name: name) with { Action = "Call, then \"close\"" };

        var (_, records) = await WriteAndReadAsync(score, Scores.Low("D2"));

        Assert.Equal(2, records.Count);
        Assert.Equal("Acme, Inc. \"Big\" renewal phase two", records[0]["name"]);
        Assert.Equal("Call, then \"close\"", records[0]["action"]);
        Assert.Equal("D2", records[1]["deal_id"]);
    }

    public void Dispose() => _directory.Dispose();

    private static bool StartsLikeAFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private async Task<(IReadOnlyList<string> Header, List<Dictionary<string, string>> Records)> WriteAndReadAsync(params DealRiskScore[] scores)
    {
        var path = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N") + ".csv");
        await using (var csv = new RiskReportCsv(path))
        {
            foreach (var score in scores)
                csv.Write(score);
        }
        return CsvFile.Read(path);
    }
}

public sealed class RiskReportCsvMovementTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_moved_deal_carries_its_previous_score_the_delta_and_the_top_change_and_a_first_score_leaves_them_empty()
    {
        var (_, records) = await WriteAsync(Movements.Moved(Scores.Of("D1", 82, RiskLevels.Critical), 54, RiskLevels.Medium), Scores.Low("D2"),
            Movements.Moved(Scores.Low("D3", score: 20), 35, RiskLevels.Medium));

        Assert.Equal(("54", "28", "No activity for 30 days (new)"), (records[0]["previous_score"], records[0]["score_delta"], records[0]["top_change"]));
        Assert.Equal(("", "", ""), (records[1]["previous_score"], records[1]["score_delta"], records[1]["top_change"]));
        // A fall starts with a minus, which the report escapes like any cell a spreadsheet could run.
        Assert.Equal(("35", "'-15"), (records[2]["previous_score"], records[2]["score_delta"]));
    }

    [Fact]
    public async Task Hostile_CRM_text_in_the_top_change_is_neutralised()
    {
        var (_, records) = await WriteAsync(Movements.Moved(Scores.Of("D1", 82, RiskLevels.Critical), 54, RiskLevels.Medium, crmValue: "=HYPERLINK(\"http://x\")"));

        var cell = Assert.Single(records)["top_change"];
        Assert.False(cell.StartsWith('='), cell);
        Assert.EndsWith("=HYPERLINK(\"http://x\") (new)", cell);
    }

    public void Dispose() => _directory.Dispose();

    private async Task<(IReadOnlyList<string> Header, List<Dictionary<string, string>> Records)> WriteAsync(params DealRiskScore[] scores)
    {
        var path = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N") + ".csv");
        await using (var csv = new RiskReportCsv(path))
        {
            foreach (var score in scores)
                csv.Write(score);
        }
        return CsvFile.Read(path);
    }
}

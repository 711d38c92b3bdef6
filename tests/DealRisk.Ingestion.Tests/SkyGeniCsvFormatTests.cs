using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using static DealRisk.Ingestion.Tests.SkyGeniCsv;

namespace DealRisk.Ingestion.Tests;

public sealed class SkyGeniCsvFormatTests
{
    private readonly SkyGeniCsvFormat _format = new();

    [Fact]
    public async Task A_won_row_becomes_a_closed_won_deal_with_its_stage_history()
    {
        var rows = await ImportReading.ReadAllAsync(_format, File(Row("D00001", created: "2024-01-10", closed: "2024-02-15", stage: "Demo", amount: "12000", outcome: "Won")));

        var deal = Assert.Single(rows).Deal;
        Assert.NotNull(deal);
        Assert.Equal(SkyGeniCsvFormat.SourceName, deal.Source);
        Assert.Equal("D00001", deal.ExternalId);
        Assert.Equal(DealStages.ClosedWon, deal.Stage);
        Assert.Equal("Demo", deal.SourceStage);
        Assert.True(deal.IsClosed);
        Assert.True(deal.IsWon);
        Assert.Equal(12000m, deal.Amount);
        Assert.Equal("rep_1", deal.Owner);
        Assert.Equal("SaaS", deal.Industry);
        Assert.Equal("Europe", deal.Region);
        Assert.Equal("Pro", deal.Product);
        Assert.Equal("Referral", deal.LeadSource);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero), deal.CreatedAt);
        Assert.Equal(new DateTimeOffset(2024, 2, 15, 0, 0, 0, TimeSpan.Zero), deal.ClosedAt);
        Assert.Collection(deal.History,
            opened =>
            {
                Assert.Equal(DealFields.Stage, opened.Field);
                Assert.Null(opened.From);
                Assert.Equal(DealStages.Demo, opened.To);
                Assert.Equal(deal.CreatedAt, opened.At);
            },
            closed =>
            {
                Assert.Equal(DealFields.Stage, closed.Field);
                Assert.Equal(DealStages.Demo, closed.From);
                Assert.Equal(DealStages.ClosedWon, closed.To);
                Assert.Equal(deal.ClosedAt, closed.At);
            });
    }

    [Fact]
    public async Task A_lost_row_at_stage_Closed_was_negotiating_before_it_closed_lost()
    {
        var rows = await ImportReading.ReadAllAsync(_format, File(Row("D00002", stage: "Closed", outcome: "Lost")));

        var deal = Assert.Single(rows).Deal!;
        Assert.Equal(DealStages.ClosedLost, deal.Stage);
        Assert.True(deal.IsClosed);
        Assert.False(deal.IsWon);
        Assert.Equal([null, DealStages.Negotiation], deal.History.Select(change => change.From));
        Assert.Equal([DealStages.Negotiation, DealStages.ClosedLost], deal.History.Select(change => change.To));
    }

    [Fact]
    public async Task A_row_without_closed_date_or_outcome_is_an_open_deal_at_its_stage()
    {
        var rows = await ImportReading.ReadAllAsync(_format, File(Row("D00003", closed: "", stage: "proposal", outcome: "")));

        var deal = Assert.Single(rows).Deal!;
        Assert.Equal(DealStages.Proposal, deal.Stage);
        Assert.False(deal.IsClosed);
        Assert.False(deal.IsWon);
        Assert.Null(deal.ClosedAt);
        var opened = Assert.Single(deal.History);
        Assert.Equal(DealStages.Proposal, opened.To);
    }

    [Fact]
    public async Task A_missing_required_column_refuses_the_whole_file_naming_the_column()
    {
        var text = "deal_id,created_date,closed_date,sales_rep_id,industry,region,product_type,lead_source,deal_stage,deal_amount\n"
                   + "D00001,2024-01-10,2024-02-15,rep_1,SaaS,Europe,Pro,Referral,Demo,12000\n";

        var refused = await Assert.ThrowsAsync<ImportRefusedException>(() => ImportReading.ReadAllAsync(_format, text));

        Assert.Contains("'outcome'", refused.Message);
        Assert.DoesNotContain("'deal_amount'", refused.Message);
    }

    [Fact]
    public async Task A_header_only_file_missing_a_column_is_refused_too()
    {
        var refused = await Assert.ThrowsAsync<ImportRefusedException>(() =>
            ImportReading.ReadAllAsync(_format, "deal_id,created_date,closed_date,sales_rep_id,industry,region,product_type,lead_source,deal_amount,outcome\n"));

        Assert.Contains("'deal_stage'", refused.Message);
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        await Assert.ThrowsAsync<ImportRefusedException>(() => ImportReading.ReadAllAsync(_format, ""));
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_line_column_and_reason_while_every_good_row_is_kept()
    {
        var text = File(
            Row("D00001"),
            Row("D00002", created: "2024-13-45"),
            Row("D00003", amount: "-500"),
            Row("D00004", stage: "Discovery"),
            Row("D00005", outcome: "Maybe"),
            Row("D00006", created: "2024-03-01", closed: "2024-02-01"),
            Row("D00007", amount: "twelve"),
            Row("D00008", outcome: "Lost"));

        var rows = await ImportReading.ReadAllAsync(_format, text);

        Assert.Equal(["D00001", "D00008"], rows.Where(row => row.Deal is not null).Select(row => row.Deal!.ExternalId));
        var errors = rows.Where(row => row.Deal is null).Select(row => row.Error!).ToList();
        Assert.Collection(errors,
            error => AssertError(error, 3, "created_date", "must be a date"),
            error => AssertError(error, 4, "deal_amount", "negative"),
            error => AssertError(error, 5, "deal_stage", "Unknown stage 'Discovery'"),
            error => AssertError(error, 6, "outcome", "Unknown outcome 'Maybe'"),
            error => AssertError(error, 7, "closed_date", "before created_date"),
            error => AssertError(error, 8, "deal_amount", "must be a non-negative number"));
        Assert.Equal([2L, 9L], rows.Where(row => row.Deal is not null).Select(row => row.Line));
    }

    [Fact]
    public async Task An_outcome_without_a_closed_date_and_a_closed_date_without_an_outcome_are_both_refused()
    {
        var rows = await ImportReading.ReadAllAsync(_format, File(
            Row("D00001", closed: "", outcome: "Won"),
            Row("D00002", closed: "2024-02-15", outcome: "")));

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Null(row.Deal));
        AssertError(rows[0].Error!, 2, "closed_date", "needs its closed_date");
        AssertError(rows[1].Error!, 3, "outcome", "needs an outcome");
    }

    [Fact]
    public async Task Quoted_fields_keep_their_commas_quotes_and_line_breaks()
    {
        var text = File(
            "D00001,2024-01-10,2024-02-15,\"rep_1, EMEA\",\"Health \"\"Tech\"\"\",\"North\nAmerica\",Pro,Referral,Demo,\"12,500\",36,Won",
            Row("D00002", created: "not-a-date"));

        var rows = await ImportReading.ReadAllAsync(_format, text);

        var deal = rows[0].Deal!;
        Assert.Equal("rep_1, EMEA", deal.Owner);
        Assert.Equal("Health \"Tech\"", deal.Industry);
        Assert.Equal("North\nAmerica", deal.Region);
        Assert.Equal(12500m, deal.Amount);
        Assert.Equal(2, rows[0].Line);
        // The quoted line break makes the next record start on line 4 of the file.
        AssertError(rows[1].Error!, 4, "created_date", "must be a date");
    }

    [Fact]
    public async Task A_UTF8_byte_order_mark_does_not_hide_the_first_column()
    {
        var rows = await ImportReading.ReadAllAsync(_format, File(Row("D00001"), Row("D00002")), byteOrderMark: true);

        Assert.Equal(["D00001", "D00002"], rows.Select(row => row.Deal!.ExternalId));
    }

    [Fact]
    public async Task Header_names_are_matched_whatever_their_case_and_padding()
    {
        var text = File(Row("D00001")).Replace(Header, string.Join(",", Header.Split(',').Select(column => $" {column.ToUpperInvariant()} ")));

        var rows = await ImportReading.ReadAllAsync(_format, text);

        Assert.Equal("D00001", Assert.Single(rows).Deal!.ExternalId);
    }

    private static void AssertError(RowError error, long line, string column, string reasonPart)
    {
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reasonPart, error.Reason);
    }
}

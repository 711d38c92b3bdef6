using DealRisk.Contracts;
using DealRisk.Ingestion.Imports;
using DealRisk.Contracts.Json;

namespace DealRisk.Ingestion.Tests;

public sealed class DealJsonLinesFormatTests
{
    private readonly DealJsonLinesFormat _format = new();

    [Fact]
    public async Task A_malformed_line_is_reported_with_its_number_and_the_good_lines_are_kept()
    {
        var text = await LinesAsync(Deals.Open("J1", new DateOnly(2024, 1, 1)))
                   + "{\"source\": \"test\", \"externalId\": \n"
                   + await LinesAsync(Deals.Open("J3", new DateOnly(2024, 2, 1)));

        var rows = await ImportReading.ReadAllAsync(_format, text);

        Assert.Equal(3, rows.Count);
        Assert.Equal(["J1", "J3"], rows.Where(row => row.Deal is not null).Select(row => row.Deal!.ExternalId));
        var bad = Assert.Single(rows, row => row.Deal is null);
        Assert.Equal(2, bad.Line);
        Assert.Equal(2, bad.Error!.Line);
        Assert.Contains("Line 2", bad.Error.Reason);
        Assert.Equal([1L, 3L], rows.Where(row => row.Deal is not null).Select(row => row.Line));
    }

    [Fact]
    public async Task A_deal_at_an_unknown_stage_is_refused_on_the_stage_column()
    {
        var text = await LinesAsync(Deals.Open("J1", new DateOnly(2024, 1, 1)), Deals.Open("J2", new DateOnly(2024, 1, 1)) with { Stage = "Prospecting" });

        var rows = await ImportReading.ReadAllAsync(_format, text);

        Assert.Equal("J1", rows[0].Deal!.ExternalId);
        Assert.Null(rows[1].Deal);
        Assert.Equal(2, rows[1].Error!.Line);
        Assert.Equal("stage", rows[1].Error!.Column);
        Assert.Contains("Unknown stage 'Prospecting'", rows[1].Error!.Reason);
    }

    [Fact]
    public async Task A_deal_round_trips_with_its_history()
    {
        var written = Deals.Closed("J1", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1), won: false);

        var deal = Assert.Single(await ImportReading.ReadAllAsync(_format, await LinesAsync(written))).Deal!;

        Assert.Equal(DealStages.ClosedLost, deal.Stage);
        Assert.Equal(written.ClosedAt, deal.ClosedAt);
        Assert.Equal(written.History, deal.History);
    }

    private static async Task<string> LinesAsync(params DealSnapshot[] deals)
    {
        using var stream = new MemoryStream();
        await DealJsonLines.WriteAsync(deals, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

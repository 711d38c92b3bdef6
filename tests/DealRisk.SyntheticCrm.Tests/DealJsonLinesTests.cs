using System.Text;
using System.Text.Json;
using DealRisk.Contracts;
using DealRisk.Contracts.Json;

namespace DealRisk.SyntheticCrm.Tests;

public sealed class DealJsonLinesTests
{
    private static readonly SyntheticCrmOptions Options = new() { Seed = 11, DealCount = 300, AsOf = new DateOnly(2025, 6, 30) };

    [Fact]
    public async Task Deals_written_and_read_back_are_the_same_deals()
    {
        var deals = SyntheticCrmGenerator.Generate(Options).ToList();

        var lines = await ReadAsync(await WriteAsync(deals));

        Assert.Equal(Enumerable.Range(1, deals.Count).Select(i => (long)i), lines.Select(line => line.LineNumber));
        Assert.All(lines, line => Assert.True(line.IsValid, line.Error));
        Assert.Equal(deals.Select(ToJson), lines.Select(line => ToJson(line.Deal!)));
        Assert.Equal(deals[0].History.Count, lines[0].Deal!.History.Count);
    }

    [Fact]
    public async Task Each_deal_is_one_camel_case_line_with_dates_as_year_month_day()
    {
        var deal = SyntheticCrmGenerator.Generate(Options).First(deal => deal.CloseDate is not null);

        var text = Encoding.UTF8.GetString(await WriteAsync([deal]));

        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"externalId\":\"SYN-", text);
        Assert.Contains($"\"closeDate\":\"{deal.CloseDate:yyyy-MM-dd}\"", text);
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_their_line_number_and_good_lines_are_kept()
    {
        var deals = SyntheticCrmGenerator.Generate(Options with { DealCount = 3 }).ToList();
        var good = Encoding.UTF8.GetString(await WriteAsync(deals)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = string.Join('\n', good[0], "{not json", good[1], "", good[2][..40], """{"externalId":"X-1"}""", good[2]) + "\n";

        var lines = await ReadAsync(Encoding.UTF8.GetBytes(file));

        Assert.Equal(6, lines.Count);
        Assert.Equal(new long[] { 1, 3, 7 }, lines.Where(line => line.IsValid).Select(line => line.LineNumber));
        Assert.Equal(deals.Select(deal => deal.ExternalId), lines.Where(line => line.IsValid).Select(line => line.Deal!.ExternalId));
        Assert.Equal(new long[] { 2, 5, 6 }, lines.Where(line => !line.IsValid).Select(line => line.LineNumber));
        Assert.All(lines.Where(line => !line.IsValid), line => Assert.StartsWith($"Line {line.LineNumber}:", line.Error));
    }

    [Fact]
    public void The_shared_serializer_options_are_web_defaults_and_read_only()
    {
        Assert.Same(JsonNamingPolicy.CamelCase, DealJsonLines.Options.PropertyNamingPolicy);
        Assert.True(DealJsonLines.Options.IsReadOnly);
    }

    private static async Task<byte[]> WriteAsync(IEnumerable<DealSnapshot> deals)
    {
        using var stream = new MemoryStream();
        await DealJsonLines.WriteAsync(deals, stream);
        return stream.ToArray();
    }

    private static async Task<List<DealJsonLine>> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var lines = new List<DealJsonLine>();
        await foreach (var line in DealJsonLines.ReadAsync(stream))
            lines.Add(line);
        return lines;
    }

    private static string ToJson(DealSnapshot deal) => JsonSerializer.Serialize(deal, DealJsonLines.Options);
}

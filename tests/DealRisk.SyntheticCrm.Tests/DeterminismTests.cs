using DealRisk.Contracts.Json;

namespace DealRisk.SyntheticCrm.Tests;

public sealed class DeterminismTests
{
    private static readonly SyntheticCrmOptions Options = new() { Seed = 7, DealCount = 500, AsOf = new DateOnly(2025, 3, 15) };

    [Fact]
    public async Task The_same_seed_and_options_give_byte_identical_json_lines()
    {
        var first = await ExportAsync(Options);
        var second = await ExportAsync(Options);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_different_seed_gives_different_deals()
    {
        var first = await ExportAsync(Options);
        var second = await ExportAsync(Options with { Seed = 8 });

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_deal_generated_on_its_own_equals_the_same_deal_in_the_stream()
    {
        var streamed = SyntheticCrmGenerator.Generate(Options).ElementAt(321);
        var alone = SyntheticCrmGenerator.GenerateDeal(Options, 321);

        Assert.Equal(await ExportAsync([streamed]), await ExportAsync([alone]));
        Assert.Equal("SYN-0000322", alone.ExternalId);
    }

    [Fact]
    public void Invalid_options_are_rejected_before_any_deal_is_generated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCrmGenerator.Generate(Options with { OpenShare = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCrmGenerator.Generate(Options with { DealCount = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCrmGenerator.Generate(Options with { RepCount = 0 }));
    }

    private static Task<byte[]> ExportAsync(SyntheticCrmOptions options) => ExportAsync(SyntheticCrmGenerator.Generate(options));

    private static async Task<byte[]> ExportAsync(IEnumerable<DealRisk.Contracts.DealSnapshot> deals)
    {
        using var stream = new MemoryStream();
        await DealJsonLines.WriteAsync(deals, stream);
        return stream.ToArray();
    }
}

namespace DealRisk.SyntheticCrm.Tests;

public sealed class StreamingTests
{
    [Fact]
    public void A_hundred_thousand_deals_stream_one_at_a_time()
    {
        var options = new SyntheticCrmOptions { Seed = 3, DealCount = 100_000, AsOf = new DateOnly(2025, 1, 1) };
        var count = 0;
        var open = 0;
        string? lastId = null;

        foreach (var deal in SyntheticCrmGenerator.Generate(options))
        {
            count++;
            open += deal.IsClosed ? 0 : 1;
            lastId = deal.ExternalId;
        }

        Assert.Equal(100_000, count);
        Assert.Equal("SYN-0100000", lastId);
        Assert.InRange(open, 28_000, 32_000);
    }

    [Fact]
    public void Nothing_is_generated_until_the_deals_are_enumerated()
    {
        var options = new SyntheticCrmOptions { DealCount = 10, AsOf = new DateOnly(2025, 1, 1) };

        using var deals = SyntheticCrmGenerator.Generate(options).GetEnumerator();

        Assert.True(deals.MoveNext());
        Assert.Equal("SYN-0000001", deals.Current.ExternalId);
    }
}

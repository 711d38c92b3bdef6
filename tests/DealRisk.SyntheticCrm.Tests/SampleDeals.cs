using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm.Tests;

/// <summary>One generated sample shared by the tests that only read it.</summary>
internal static class SampleDeals
{
    public static readonly SyntheticCrmOptions Options = new() { Seed = 42, DealCount = 5000, AsOf = new DateOnly(2025, 6, 30) };

    private static readonly Lazy<IReadOnlyList<DealSnapshot>> Deals = new(() => SyntheticCrmGenerator.Generate(Options).ToArray());

    public static IReadOnlyList<DealSnapshot> All => Deals.Value;

    public static IEnumerable<DealSnapshot> Closed => All.Where(deal => deal.IsClosed);

    public static IEnumerable<DealSnapshot> Open => All.Where(deal => !deal.IsClosed);
}

using DealRisk.Contracts;

namespace DealRisk.Scoring.Tests;

/// <summary>Feature vectors built by name, as the feature service sends them; every feature not given is null.</summary>
internal static class Vectors
{
    /// <summary>The names the feature service computes: the signal catalogue, in its order.</summary>
    public static IReadOnlyList<string> Names => RiskSignals.Names;

    public static DealProfile Deal(string stage = DealStages.Qualified, string id = "D-1") => new()
    {
        Source = "test",
        ExternalId = id,
        Version = 1,
        Stage = stage,
        Amount = 20_000m,
    };

    public static DealFeatureVector Vector(DealProfile deal, params (string Name, double? Value)[] values)
    {
        var array = new double?[Names.Count];
        foreach (var (name, value) in values)
        {
            var index = Names.ToList().IndexOf(name);
            Assert.True(index >= 0, $"unknown feature {name}");
            array[index] = value;
        }
        return new DealFeatureVector { Deal = deal, Values = array };
    }

    public static DealFeatureVector Vector(params (string Name, double? Value)[] values) => Vector(Deal(), values);

    public static FeaturesComputed Computed(params DealFeatureVector[] vectors) => new()
    {
        CorrelationId = Guid.NewGuid(),
        AsOf = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero),
        FeatureNames = Names,
        Deals = vectors,
    };
}

namespace DealRisk.SyntheticCrm;

/// <summary>
/// A deal's latent make-up, drawn once at creation. The risk flags share one hidden "trouble"
/// factor, so a troubled deal tends to show several signals at once, as in real pipelines.
/// </summary>
internal sealed record DealTraits
{
    public required int Rep { get; init; }
    public required string LeadSource { get; init; }
    public required string Industry { get; init; }
    public required string Region { get; init; }
    public required string Product { get; init; }
    public required decimal Amount { get; init; }

    public required bool SingleThreaded { get; init; }
    public required bool Silent { get; init; }
    public required int Pushes { get; init; }
    public required bool Stalled { get; init; }
    public required bool Regression { get; init; }
    public required bool StaleNextStep { get; init; }
    /// <summary>What the signals do not explain: champion quality, budget, competition.</summary>
    public required double Noise { get; init; }

    public bool WeakRep => SyntheticReps.IsWeak(Rep);

    public double CycleFactor => Product switch
    {
        "Enterprise" => 1.5,
        "Pro" => 1.0,
        _ => 0.8,
    };

    public static DealTraits Draw(DealRandom random, int repCount)
    {
        var trouble = random.Gaussian();
        bool Flag(double baseRate) => random.Chance(Sigmoid(Math.Log(baseRate / (1 - baseRate)) + 0.8 * trouble));

        var product = random.PickWeighted(WordLists.ProductWeights);
        return new DealTraits
        {
            Rep = random.Between(1, repCount),
            LeadSource = random.PickWeighted(WordLists.LeadSourceWeights),
            Industry = random.Pick(WordLists.Industries),
            Region = random.PickWeighted(WordLists.RegionWeights),
            Product = product,
            Amount = DrawAmount(random, product),
            SingleThreaded = Flag(0.22),
            Silent = Flag(0.18),
            Pushes = Math.Min(6, random.Poisson(0.85 * Math.Exp(0.6 * trouble))),
            Stalled = Flag(0.14),
            Regression = Flag(0.10),
            StaleNextStep = Flag(0.18),
            Noise = random.Gaussian(),
        };
    }

    private static decimal DrawAmount(DealRandom random, string product)
    {
        var median = product switch
        {
            "Enterprise" => 80_000.0,
            "Pro" => 30_000.0,
            _ => 12_000.0,
        };
        var amount = Math.Clamp(median * Math.Exp(0.6 * random.Gaussian()), 5_000, 250_000);
        return Math.Round((decimal)amount / 100m) * 100m;
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}

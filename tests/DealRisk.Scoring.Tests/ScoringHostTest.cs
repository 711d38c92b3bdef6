namespace DealRisk.Scoring.Tests;

/// <summary>A test class whose every test runs against a scoring host of its own, started before and stopped after it.</summary>
public abstract class ScoringHostTest(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    /// <summary>A training gate the small generated training sets can pass.</summary>
    protected static readonly IReadOnlyDictionary<string, string?> SmallTrainingGate = new Dictionary<string, string?>
    {
        ["Scoring:MinimumWonDeals"] = "50",
        ["Scoring:MinimumLostDeals"] = "50",
    };

    private protected ScoringHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ScoringHost.StartAsync(settings);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

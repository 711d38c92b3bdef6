using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Testing;

/// <summary>
/// Scoring's score history beside a service under test that asks for it: a real <see cref="ScoreHistoryLog"/> in a
/// SQLite file of its own, answered on the test bus by scoring's <see cref="ServeScoreHistoryConsumer"/> and
/// <see cref="ServeLatestScoreConsumer"/>. Scores are
/// recorded as scoring published them (trigger and movement already in them), as if scoring had just kept them.
/// </summary>
public static class ScoringHistory
{
    public const string StoreName = "scoring";

    public static IServiceCollection AddScoringHistory(this IServiceCollection services, string dataDirectory)
    {
        services.AddKeyedSingleton<IDocumentStore>(StoreName, (_, _) => new SqliteDocumentStore(Path.Combine(dataDirectory, "scoring-history.db")));
        services.AddScoreHistory(StoreName);
        return services;
    }

    public static IBusRegistrationConfigurator AddScoringHistoryResponder(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ServeScoreHistoryConsumer, ServeScoreHistoryConsumerDefinition>();
        bus.AddConsumer<ServeLatestScoreConsumer, ServeLatestScoreConsumerDefinition>();
        return bus;
    }

    public static Task RecordAsync(this IScoreHistory history, DealScored scored) =>
        history.RecordAsync(scored.Scores, scored.AsOf, scored.Batch);

    public static Task RecordAsync(this IScoreHistory history, DealChunkScored chunk) =>
        history.RecordAsync([.. chunk.ReadScores().All()], chunk.AsOf, chunk.Batch);

    private static async Task RecordAsync(this IScoreHistory history, IReadOnlyList<DealRiskScore> scores, DateTimeOffset asOf, BatchChunk? batch)
    {
        var fallback = batch is not null
            ? ScoreTrigger.ForBatch(batch, asOf)
            : new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, At = asOf };
        var entries = scores.Select(score => ScoreHistoryEntry.Of(score, asOf, score.Trigger ?? fallback)).ToList();
        await history.AppendAsync(entries, (_, entry) => entry, CancellationToken.None);
    }
}

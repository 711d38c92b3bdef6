using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Deals;

/// <summary>
/// Drops the copy of every deal's latest score that earlier releases kept in ingestion (<c>latest-scores</c>, and before
/// that <c>latest-deal-scores</c>): scoring keeps each deal's newest score, and <c>GET /deals</c> asks it for it.
/// </summary>
public sealed partial class RetiredLatestScores(
    [FromKeyedServices(IngestionServiceExtensions.ServiceName)] IDocumentStore store,
    ILogger<RetiredLatestScores> logger) : IStoreMigration
{
    public static readonly IReadOnlyList<string> Collections = ["latest-scores", "latest-deal-scores"];

    public async Task MigrateAsync(CancellationToken ct)
    {
        foreach (var collection in Collections)
            if (await store.DropCollectionAsync(collection, ct))
                LogDropped(collection);
    }

    [LoggerMessage(LogLevel.Information, "Dropped '{Collection}', ingestion's old copy of the latest scores: scoring keeps each deal's newest score")]
    private partial void LogDropped(string collection);
}

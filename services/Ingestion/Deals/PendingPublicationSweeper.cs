using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Ingestion.Deals;

/// <summary>Every few seconds, publishes again what was stored but never confirmed as published.</summary>
public sealed class PendingPublicationSweeper(
    PendingPublications pending,
    DealRepository deals,
    IBus bus,
    TimeProvider time,
    ILogger<PendingPublicationSweeper> logger) : BackgroundService
{
    /// <summary>A publication younger than this is probably still in flight.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replay = new PendingPublicationReplay(pending, deals, bus, time, logger);
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await replay.RunAsync(time.GetUtcNow() - Grace, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Republishing pending deal events failed; will try again");
            }
        }
    }
}

/// <summary>
/// Publishes again what was stored but never confirmed as published (a failed publish, a crash in between): the
/// deals' current stored state, which consumers accept or drop by version.
/// </summary>
public sealed class PendingPublicationReplay(
    PendingPublications pending,
    DealRepository deals,
    IPublishEndpoint publish,
    TimeProvider time,
    ILogger logger)
{
    /// <returns>How many deals were published again.</returns>
    public async Task<int> RunAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken)
    {
        var republished = 0;
        // One change can be recorded twice (an import's row, then the rescore of the whole small import): announced once.
        foreach (var publications in (await pending.RecordedBeforeAsync(recordedBefore, cancellationToken)).GroupBy(publication => (publication.CorrelationId, publication.Origin)))
        {
            var (correlationId, origin) = publications.Key;
            var featureChanges = publications.SelectMany(publication => publication.Deals)
                .GroupBy(deal => DealKey.Of(deal.Source, deal.ExternalId))
                .ToDictionary(group => group.Key, group => (IReadOnlyList<string>)group.SelectMany(deal => deal.FeatureChanges).Distinct().ToList());
            var refs = publications.SelectMany(publication => publication.Deals).DistinctBy(deal => DealKey.Of(deal.Source, deal.ExternalId))
                .Select(deal => new DealRef { Source = deal.Source, ExternalId = deal.ExternalId, Version = deal.Version });
            var stored = new List<AnnouncedChange>();
            await foreach (var deal in deals.GetManyAsync(refs, cancellationToken))
                stored.Add(new AnnouncedChange(deal, featureChanges[DealKey.Of(deal.Source, deal.ExternalId)], []));
            await Task.WhenAll(DealEventPublisher.Announce(publish, stored, correlationId, origin, time.GetUtcNow(), cancellationToken));
            republished += stored.Count;
            foreach (var publication in publications)
                await pending.CompleteAsync(publication.Id, cancellationToken);
            logger.LogWarning("Republished {Deals} deal changes from {Origin} that were stored but not confirmed as published", featureChanges.Count, origin);
        }
        return republished;
    }
}

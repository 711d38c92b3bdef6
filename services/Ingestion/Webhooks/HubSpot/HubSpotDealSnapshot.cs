using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;
using DealRisk.Ingestion.Deals;
using P = DealRisk.Ingestion.Webhooks.HubSpot.HubSpotDealProperties;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>
/// Derives the canonical deal from a HubSpot deal's state, on top of what an import may already have stored
/// (industry, region, … that webhooks do not carry). History is rebuilt from the observations in change-time
/// order, so an event that arrives late still lands in its place.
/// </summary>
public static class HubSpotDealSnapshot
{
    public const string SourceName = "hubspot";

    /// <summary>Key fields no deal webhook carries: a deal known only from webhooks is not held to them.</summary>
    public static readonly IReadOnlyList<string> NotCarried =
        [DealDataQuality.Industry, DealDataQuality.Region, DealDataQuality.LeadSource, DealDataQuality.Account];

    public static DealSnapshot Build(HubSpotDealState state, DealSnapshot? stored, IReadOnlyDictionary<string, string> stages)
    {
        var firstHeard = state.Observations.Count == 0 ? (DateTimeOffset?)null : state.Observations.Min(observation => observation.At);
        var baseline = stored ?? new DealSnapshot
        {
            Source = SourceName,
            ExternalId = state.DealId,
            Version = 0,
            Stage = DealStages.Lead,
            CreatedAt = state.CreatedAt ?? firstHeard ?? DateTimeOffset.UnixEpoch,
            UnavailableFields = NotCarried,
        };

        var deal = baseline;
        if (state.CreatedAt is { } createdAt && (stored is null || createdAt < stored.CreatedAt))
            deal = deal with { CreatedAt = createdAt };
        if (state.Latest(P.DealName) is { } name) deal = deal with { Name = name.Value };
        // The stage is set apart (WithStage): its ids map through the pipeline and it opens or closes the deal.
        foreach (var (property, field) in P.Tracked)
            if (field != TrackedFields.Stage && state.Latest(property) is { } latest)
                deal = field.Changed(deal, latest.Value, latest.At);
        if (LastActivity(state) is { } lastActivity) deal = deal with { LastActivityAt = lastActivity };
        deal = WithStage(deal, state, stages);
        deal = deal with { History = MergeHistory(baseline.History, DerivedHistory(state, stages)) };
        return DataQuality.Assess(deal);
    }

    private static DealSnapshot WithStage(DealSnapshot deal, HubSpotDealState state, IReadOnlyDictionary<string, string> stages)
    {
        if (state.Latest(P.Stage) is not { Value: { } stageId } latestStage)
            return deal;
        var stage = stages.TryGetValue(stageId, out var canonical) ? canonical : deal.Stage;
        var isClosed = DealStages.IsClosed(stage);
        var wonFlag = state.Latest(P.IsClosedWon)?.Value == "true";
        return deal with
        {
            Stage = stage,
            SourceStage = stageId,
            IsClosed = isClosed,
            IsWon = isClosed && (stage == DealStages.ClosedWon || wonFlag),
            ClosedAt = isClosed ? latestStage.At : null,
        };
    }

    private static DateTimeOffset? LastActivity(HubSpotDealState state)
    {
        var times = new[] { state.Latest(P.LastContacted)?.Value, state.Latest(P.LastSalesActivity)?.Value }
            .Where(value => value is not null)
            .Select(value => P.ParseInstant(value!))
            .ToList();
        return times.Count == 0 ? null : times.Max();
    }

    private static List<DealChange> DerivedHistory(HubSpotDealState state, IReadOnlyDictionary<string, string> stages)
    {
        var history = new List<DealChange>();
        foreach (var (property, field) in P.Tracked)
        {
            string? previous = null;
            var first = true;
            foreach (var observation in state.InOrder(property))
            {
                var value = property == P.Stage && observation.Value is { } stageId ? stages.GetValueOrDefault(stageId, stageId) : observation.Value;
                if (first || value != previous)
                    history.Add(new DealChange { At = observation.At, Field = field.Name, From = first ? null : previous, To = value });
                previous = value;
                first = false;
            }
        }
        return history;
    }

    /// <summary>Derived entries replace earlier derivations of the same change (same time, field and value), whose From may have been wrong before a late event arrived.</summary>
    private static List<DealChange> MergeHistory(IReadOnlyList<DealChange> stored, List<DealChange> derived)
    {
        var keys = derived.Select(change => (change.At, change.Field, change.To)).ToHashSet();
        return stored.Where(change => !keys.Contains((change.At, change.Field, change.To)))
            .Concat(derived)
            .OrderBy(change => change.At)
            .ThenBy(change => change.Field, StringComparer.Ordinal)
            .ToList();
    }
}

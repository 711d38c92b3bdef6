using DealRisk.Contracts;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Plausible real-time messages for the warm-up traffic: a deal with a stage history and activity, its features and its
/// score, shaped like what the CRM and the services produce so the same serializer and code paths run. They travel only
/// to a service's own scratch endpoint; no store and no other service ever sees them.
/// </summary>
public static class WarmUpSamples
{
    public const string Source = "warm-up";

    /// <summary>
    /// The samples' deals come round again, each time at a newer version: on a scratch copy the later messages meet a deal
    /// with a past (its stored copy, its previous score and the movement against it), as almost every real change does.
    /// </summary>
    public const int DealsInRotation = 16;

    public static DealSnapshot Deal(int index)
    {
        var now = DateTimeOffset.UtcNow;
        var stage = DealStages.OpenStages[index % DealStages.OpenStages.Count];
        return new DealSnapshot
        {
            Source = Source,
            ExternalId = $"warm-up-{index % DealsInRotation}",
            Version = 3 + index / DealsInRotation,
            Name = $"Warm-up deal {index}",
            Account = "Warm-up account",
            Owner = "warm-up-rep",
            Amount = 10_000 + index * 250,
            Stage = stage,
            CreatedAt = now.AddDays(-60 - index % 30),
            CloseDate = DateOnly.FromDateTime(now.AddDays(20 + index % 40).UtcDateTime),
            LeadSource = "Inbound",
            Industry = "Software",
            Region = "NA",
            Product = "Platform",
            LastActivityAt = now.AddDays(-(index % 20)),
            ActivityCount = 4 + index % 9,
            ActivityDates = [now.AddDays(-40), now.AddDays(-25), now.AddDays(-(index % 20))],
            ContactCount = 1 + index % 4,
            History =
            [
                new DealChange { At = now.AddDays(-50), Field = DealFields.Stage, From = DealStages.Lead, To = DealStages.Qualified },
                new DealChange { At = now.AddDays(-30), Field = DealFields.CloseDate, From = "2026-01-15", To = "2026-02-15" },
                new DealChange { At = now.AddMinutes(-1), Field = DealFields.Stage, From = DealStages.Qualified, To = stage },
            ],
            UpdatedAt = now,
        };
    }

    public static DealChanged DealChanged(int index)
    {
        var deal = Deal(index);
        return new DealChanged
        {
            CorrelationId = Guid.NewGuid(),
            Deal = deal,
            ChangedFields = [DealFields.Stage],
            Origin = "hubspot-webhook",
            ChangedAt = deal.UpdatedAt,
            Changes = [deal.History[^1]],
        };
    }

    public static DealSynced DealSynced(int index)
    {
        var deal = Deal(index);
        return new DealSynced { CorrelationId = Guid.NewGuid(), Deal = deal, Origin = "hubspot-webhook", SyncedAt = deal.UpdatedAt };
    }

    /// <summary>A webhook delivery's changes: a few rescored, one only synced, as most real deliveries mix them.</summary>
    public static DealChangesStored DealChangesStored(int index)
    {
        var rescored = Enumerable.Range(0, 3).Select(offset => DealChanged(index * 4 + offset)).ToList();
        return new DealChangesStored
        {
            CorrelationId = rescored[0].CorrelationId,
            Origin = rescored[0].Origin,
            Rescored = rescored,
            Synced = [DealSynced(index * 4 + 3)],
        };
    }

    /// <summary>Odd samples carry the rescores of one delivery's three deals in one message, each with its own trigger, as most real ones do.</summary>
    public static FeaturesComputed FeaturesComputed(int index)
    {
        if (index % 2 == 0)
            return OneDealFeatures(index);
        var asOf = DateTimeOffset.UtcNow;
        return Contracts.FeaturesComputed.OfDelivery([.. Enumerable.Range(index * 3, 3).Select(deal => OneDealFeatures(deal) with { AsOf = asOf })]);
    }

    private static FeaturesComputed OneDealFeatures(int index)
    {
        var changed = DealChanged(index);
        return new FeaturesComputed
        {
            CorrelationId = changed.CorrelationId,
            AsOf = changed.ChangedAt,
            FeatureNames = RiskSignals.Names,
            Deals = [new DealFeatureVector { Deal = Profile(changed.Deal), Values = [.. RiskSignals.Names.Select((_, i) => (double?)((index + i) % 7 * 3.5))] }],
            Trigger = new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, Source = changed.Origin, At = changed.ChangedAt, Changes = changed.Changes },
        };
    }

    public static DealScored DealScored(int index)
    {
        var features = OneDealFeatures(index);
        return new DealScored
        {
            CorrelationId = features.CorrelationId,
            AsOf = features.AsOf,
            Scorer = "rules",
            Scores =
            [
                new DealRiskScore
                {
                    Deal = features.Deals[0].Deal,
                    Score = 40 + index % 60,
                    Level = index % 3 == 0 ? RiskLevels.Critical : RiskLevels.High,
                    Reasons = ["No activity for 21 days", "Close date pushed 2 times"],
                    Factors = [new ScoreReason { Signal = RiskSignals.Names[0], Points = 20 }],
                    Action = "Manager deal review",
                    Scorer = "rules",
                    Trigger = features.Trigger,
                    Movement = Movement(index, features.AsOf, changes: features.Trigger!.Changes),
                },
            ],
        };
    }

    /// <summary>A rescore moves against the deal's previous score: the movement travels with it, as it does for almost every real one.</summary>
    private static ScoreMovement Movement(int index, DateTimeOffset asOf, IReadOnlyList<DealChange> changes) => new()
    {
        PreviousScore = 30 + index % 40,
        PreviousLevel = RiskLevels.Medium,
        PreviousAsOf = asOf.AddDays(-1),
        Delta = 10,
        Added = [new SignalMovement { Signal = RiskSignals.Names[0], Reason = "No activity for 21 days", To = 21, PointsTo = 20 }],
        Removed = [],
        Changed = [new SignalMovement { Signal = RiskSignals.Names[1], From = 1, To = 2, PointsFrom = 5, PointsTo = 10 }],
        Contributions = [new ContributionDelta { Feature = RiskSignals.Names[0], From = 0.01, To = 0.12 }],
        Changes = changes,
        Summary = "Rose by 10: no activity for 21 days",
    };

    private static DealProfile Profile(DealSnapshot deal) => new()
    {
        Source = deal.Source,
        ExternalId = deal.ExternalId,
        Version = deal.Version,
        Name = deal.Name,
        Account = deal.Account,
        Owner = deal.Owner,
        Amount = deal.Amount,
        Stage = deal.Stage,
        DaysInStage = 1,
        Industry = deal.Industry,
        Region = deal.Region,
        LeadSource = deal.LeadSource,
        Product = deal.Product,
    };
}

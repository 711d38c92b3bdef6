using DealRisk.Contracts;

namespace DealRisk.Notification.Tests;

/// <summary>Movements as scoring publishes them, with CRM text that may be hostile.</summary>
internal static class Movements
{
    public const string HostileText = "<img src=x onerror=\"window.__xss=1\">=cmd|' /C calc'!A0 & <b>bold</b>";

    public static DealRiskScore Moved(DealRiskScore score, int previousScore, string previousLevel, string? crmValue = null, DateTimeOffset? at = null)
    {
        var when = at ?? new DateTimeOffset(2024, 7, 5, 9, 0, 0, TimeSpan.Zero);
        DealChange[] changes = crmValue is null ? [] : [new DealChange { At = when, Field = DealFields.NextStep, From = "Demo call", To = crmValue }];
        return score with
        {
            Trigger = new ScoreTrigger { Kind = ScoreTrigger.CrmChangeKind, Source = "hubspot-webhook", EventId = "delivery-1", At = when, Changes = changes },
            Movement = new ScoreMovement
            {
                PreviousScore = previousScore,
                PreviousLevel = previousLevel,
                PreviousAsOf = when.AddDays(-1),
                Delta = score.Score - previousScore,
                Added = [new SignalMovement { Signal = "days_since_last_activity", Reason = crmValue ?? "No activity for 30 days", To = 30, PointsTo = 20 }],
                Removed = [],
                Changed = [],
                Changes = changes,
                Summary = $"Up {score.Score - previousScore} to {score.Level}: no activity for 30 days (new){(crmValue is null ? "" : $", next step {crmValue}")}",
            },
        };
    }
}

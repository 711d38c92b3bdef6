using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// Replays scores of held-out deals at the instants they were snapshotted while open: for each lost deal, the
/// earliest HIGH-or-worse flag and how many days before the close it came; for all flagged deals, the share lost.
/// </summary>
public static class Backtester
{
    public static BacktestResult Replay(string scorer, IReadOnlyList<TrainingExample> holdout, IReadOnlyList<int> scores, int highThreshold)
    {
        var byDeal = holdout.Select((example, i) => (Example: example, Score: scores[i]))
            .GroupBy(item => $"{item.Example.Vector.Deal.Source}:{item.Example.Vector.Deal.ExternalId}")
            .ToList();
        var lead = new List<double>();
        int lostDeals = 0, flaggedDeals = 0, flaggedLost = 0;
        foreach (var deal in byDeal)
        {
            var lost = deal.First().Example.Lost;
            var firstFlag = deal.Where(item => item.Score >= highThreshold).OrderBy(item => item.Example.At).FirstOrDefault();
            if (lost) lostDeals++;
            if (firstFlag.Example is null) continue;
            flaggedDeals++;
            if (!lost) continue;
            flaggedLost++;
            lead.Add(Math.Floor((firstFlag.Example.ClosedAt - firstFlag.Example.At).TotalDays));
        }
        lead.Sort();
        return new BacktestResult
        {
            Scorer = scorer,
            LostDeals = lostDeals,
            LostDealsFlagged = flaggedLost,
            MedianDaysFlaggedBeforeClose = lead.Count == 0 ? null : lead[lead.Count / 2],
            MeanDaysFlaggedBeforeClose = lead.Count == 0 ? null : Math.Round(lead.Average(), 1),
            DealsFlagged = flaggedDeals,
            FlagPrecision = flaggedDeals == 0 ? 0 : Math.Round((double)flaggedLost / flaggedDeals, 4),
        };
    }
}

using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>
/// How well loss probabilities separate lost from won deals: the same arithmetic for the rules and every model.
/// <c>HoldoutDeals</c> comes out as the number of rows; callers with several snapshots per deal set the deal count.
/// </summary>
public static class HoldoutMetrics
{
    public static ModelMetrics Compute(IReadOnlyList<double> lossProbability, IReadOnlyList<bool> lost, double alertProbability)
    {
        var flagged = 0;
        var flaggedLost = 0;
        double brier = 0;
        for (var i = 0; i < lost.Count; i++)
        {
            var p = lossProbability[i];
            brier += (p - (lost[i] ? 1 : 0)) * (p - (lost[i] ? 1 : 0));
            if (p < alertProbability) continue;
            flagged++;
            if (lost[i]) flaggedLost++;
        }
        var lostCount = lost.Count(l => l);
        return new ModelMetrics
        {
            RocAuc = RocAuc(lossProbability, lost),
            PrAuc = AveragePrecision(lossProbability, lost),
            PrecisionAtAlert = flagged == 0 ? 0 : (double)flaggedLost / flagged,
            RecallAtAlert = lostCount == 0 ? 0 : (double)flaggedLost / lostCount,
            BrierScore = lost.Count == 0 ? 0 : brier / lost.Count,
            HoldoutDeals = lost.Count,
        };
    }

    /// <summary>The probability that a lost deal scores above a won one (ties count half).</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> lost)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumLost = 0;
        long lostCount = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (!lost[order[k]]) continue;
                rankSumLost += averageRank;
                lostCount++;
            }
            start = end + 1;
        }
        var wonCount = scores.Count - lostCount;
        if (lostCount == 0 || wonCount == 0) return 0.5;
        return (rankSumLost - lostCount * (lostCount + 1) / 2.0) / (lostCount * (double)wonCount);
    }

    /// <summary>Average precision: the area under the precision–recall curve of "lost", ties taken as one step.</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> lost)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var total = lost.Count(l => l);
        if (total == 0) return 0;
        double sum = 0;
        var seen = 0;
        var seenLost = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var lostInGroup = 0;
            for (var k = start; k <= end; k++) if (lost[order[k]]) lostInGroup++;
            seen += end - start + 1;
            seenLost += lostInGroup;
            sum += lostInGroup * ((double)seenLost / seen);
            start = end + 1;
        }
        return sum / total;
    }
}

using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;

namespace DealRisk.Scoring.TrackRecord;

/// <summary>
/// A scorer's track record on closed deals: ranking (ROC-AUC, PR-AUC) and reliability over every score the deals had
/// while open (score / 100 read as the loss probability), and per deal the precision of its HIGH and CRITICAL flags and,
/// for lost deals, how many days before the close it was first flagged HIGH or worse. Segments count closed deals.
/// </summary>
public sealed class TrackRecordCalculator(int minimumSegmentDeals)
{
    public const int CalibrationBins = 10;
    public const string Industry = "industry";
    public const string Region = "region";

    public int MinimumSegmentDeals => minimumSegmentDeals;

    public ScorerEvaluation Evaluate(string scorer, string? modelVersion, string population, IReadOnlyList<ClosedDealScores> deals) => new()
    {
        Scorer = scorer,
        ModelVersion = modelVersion,
        Population = population,
        Figures = Figures(deals),
        Segments = [.. Segments(deals, Industry, d => d.Industry), .. Segments(deals, Region, d => d.Region)],
    };

    public static TrackRecordFigures Figures(IReadOnlyList<ClosedDealScores> deals)
    {
        var scored = deals.Where(d => d.Scores.Count > 0).ToList();
        var probabilities = new List<double>();
        var lost = new List<bool>();
        foreach (var deal in scored)
            foreach (var instant in deal.Scores)
            {
                probabilities.Add(instant.Score / 100.0);
                lost.Add(deal.Lost);
            }
        var ranked = lost.Contains(true) && lost.Contains(false);
        return new TrackRecordFigures
        {
            Deals = scored.Count,
            LostDeals = scored.Count(d => d.Lost),
            Scores = probabilities.Count,
            RocAuc = ranked ? HoldoutMetrics.RocAuc(probabilities, lost) : null,
            PrAuc = ranked ? HoldoutMetrics.AveragePrecision(probabilities, lost) : null,
            Calibration = Calibration(probabilities, lost),
            High = Precision(scored, RiskLevels.High),
            Critical = Precision(scored, RiskLevels.Critical),
            LeadTimes = LeadTimes(scored).GroupBy(days => days).Select(g => new LeadTime { Days = g.Key, LostDeals = g.Count() }).ToList(),
        };
    }

    /// <summary>Equal-width bins of the predicted loss probability; empty bins are left out.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> probabilities, IReadOnlyList<bool> lost)
    {
        var count = new int[CalibrationBins];
        var sum = new double[CalibrationBins];
        var lostCount = new int[CalibrationBins];
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 0, 1);
            var bin = Math.Min(CalibrationBins - 1, (int)Math.Floor(p * CalibrationBins));
            count[bin]++;
            sum[bin] += p;
            if (lost[i]) lostCount[bin]++;
        }
        return Enumerable.Range(0, CalibrationBins).Where(bin => count[bin] > 0).Select(bin => new CalibrationBin
        {
            From = (double)bin / CalibrationBins,
            To = (double)(bin + 1) / CalibrationBins,
            Count = count[bin],
            MeanPredicted = sum[bin] / count[bin],
            ObservedLossRate = (double)lostCount[bin] / count[bin],
        }).ToList();
    }

    /// <summary>Deals flagged at this level or worse at least once while open, and the share of them lost.</summary>
    public static FlagPrecision Precision(IReadOnlyList<ClosedDealScores> deals, string level)
    {
        var flagged = deals.Where(d => d.Scores.Any(s => RiskLevels.Rank(s.Level) >= RiskLevels.Rank(level))).ToList();
        var flaggedLost = flagged.Count(d => d.Lost);
        return new FlagPrecision { Flagged = flagged.Count, FlaggedLost = flaggedLost, Precision = flagged.Count == 0 ? null : (double)flaggedLost / flagged.Count };
    }

    /// <summary>For each lost deal flagged HIGH or worse before its close: whole days from the first such flag to the close.</summary>
    public static IReadOnlyList<int> LeadTimes(IReadOnlyList<ClosedDealScores> deals) =>
        deals.Where(d => d.Lost)
            .Select(d => d.Scores.Where(s => s.At < d.ClosedAt && RiskLevels.Rank(s.Level) >= RiskLevels.Rank(RiskLevels.High)).OrderBy(s => s.At).FirstOrDefault() is { } first
                ? (int?)Math.Floor((d.ClosedAt - first.At).TotalDays)
                : null)
            .OfType<int>()
            .Order()
            .ToList();

    private IEnumerable<SegmentFigures> Segments(IReadOnlyList<ClosedDealScores> deals, string dimension, Func<ClosedDealScores, string?> segmentOf) =>
        deals.Where(d => d.Scores.Count > 0 && !string.IsNullOrWhiteSpace(segmentOf(d)))
            .GroupBy(d => segmentOf(d)!, StringComparer.Ordinal)
            .Where(g => g.Count() >= minimumSegmentDeals)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SegmentFigures { Dimension = dimension, Name = g.Key, Figures = Figures(g.ToList()) });
}

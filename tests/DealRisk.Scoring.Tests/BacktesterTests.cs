using DealRisk.Contracts;
using DealRisk.Scoring.Modeling;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

public sealed class BacktesterTests
{
    private static readonly DateTimeOffset Close = new(2025, 6, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lost_deals_count_the_days_from_their_first_high_flag_to_the_close_and_precision_counts_flagged_deals()
    {
        TrainingExample At(string id, int daysBeforeClose, bool lost) => new()
        {
            Vector = Vector(Deal(id: id)),
            At = Close.AddDays(-daysBeforeClose),
            ClosedAt = Close,
            Lost = lost,
        };
        TrainingExample[] holdout =
        [
            At("L-1", 90, true), At("L-1", 60, true), At("L-1", 30, true),
            At("L-2", 60, true), At("L-2", 30, true),
            At("L-3", 30, true),
            At("W-1", 60, false), At("W-1", 30, false),
        ];
        int[] scores = [20, 60, 80, 75, 10, 40, 56, 20];

        var result = Backtester.Replay("rules", holdout, scores, highThreshold: 55);

        Assert.Equal((3, 2, 3), (result.LostDeals, result.LostDealsFlagged, result.DealsFlagged));
        Assert.Equal(60, result.MeanDaysFlaggedBeforeClose);
        Assert.Equal(2 / 3.0, result.FlagPrecision, 3);
    }
}

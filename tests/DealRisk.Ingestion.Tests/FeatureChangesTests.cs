using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;

namespace DealRisk.Ingestion.Tests;

public sealed class FeatureChangesTests
{
    private static readonly DateOnly Created = new(2024, 5, 1);
    private static readonly DealSnapshot Stored = Deals.Open("F1", Created);

    private static DealSnapshot Changed(string kind) => kind switch
    {
        DealChangeKinds.Stage => Stored with { Stage = DealStages.Proposal },
        DealChangeKinds.Amount => Stored with { Amount = 40_000m },
        DealChangeKinds.CloseDate => Stored with { CloseDate = Created.AddDays(90) },
        DealChangeKinds.Owner => Stored with { Owner = "rep_2" },
        DealChangeKinds.NextStep => Stored with { NextStep = "Legal review" },
        DealChangeKinds.Activity => Stored with { ActivityDates = [Deals.At(Created).AddDays(5)] },
        DealChangeKinds.Contacts => Stored with { ContactCount = 1 },
        DealChangeKinds.Outcome => Stored with { IsClosed = true, ClosedAt = Deals.At(Created).AddDays(20) },
        DealChangeKinds.Attributes => Stored with { Industry = "Fintech" },
        DealChangeKinds.DataQuality => Stored with { MissingFields = ["region"] },
        DealChangeKinds.StageHistory => Stored with
        {
            History =
            [
                .. Stored.History,
                new DealChange { At = Deals.At(Created).AddDays(3), Field = DealFields.Stage, From = DealStages.Demo, To = DealStages.Qualified },
                new DealChange { At = Deals.At(Created).AddDays(4), Field = DealFields.Stage, From = DealStages.Qualified, To = DealStages.Demo },
            ],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Theory]
    [InlineData(DealChangeKinds.Stage)]
    [InlineData(DealChangeKinds.Amount)]
    [InlineData(DealChangeKinds.CloseDate)]
    [InlineData(DealChangeKinds.Owner)]
    [InlineData(DealChangeKinds.NextStep)]
    [InlineData(DealChangeKinds.Activity)]
    [InlineData(DealChangeKinds.Contacts)]
    [InlineData(DealChangeKinds.Outcome)]
    [InlineData(DealChangeKinds.Attributes)]
    [InlineData(DealChangeKinds.DataQuality)]
    [InlineData(DealChangeKinds.StageHistory)]
    public void Each_change_a_feature_reads_is_named(string kind) => Assert.Equal([kind], FeatureChanges.Between(Stored, Changed(kind)));

    [Fact]
    public void A_new_deal_is_a_creation() => Assert.Equal([DealChangeKinds.Created], FeatureChanges.Between(null, Stored));

    [Fact]
    public void A_new_name_or_account_moves_no_feature() =>
        Assert.Empty(FeatureChanges.Between(Stored, Stored with { Name = "Renamed", Account = "Acme Holdings", Version = 2, UpdatedAt = DateTimeOffset.UtcNow }));

    [Fact]
    public void A_merged_round_trip_through_another_stage_is_a_feature_change_though_the_stage_is_the_same()
    {
        var merge = DealMerge.Apply(Stored with { Version = 4 }, Changed(DealChangeKinds.StageHistory), DateTimeOffset.UtcNow);

        Assert.Equal((DealMergeOutcome.Updated, 5L, false), (merge.Outcome, merge.Deal.Version, merge.StageChanged));
        Assert.Equal([DealChangeKinds.StageHistory], merge.FeatureChanges);
    }
}

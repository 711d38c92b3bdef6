using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Imports;

namespace DealRisk.Ingestion.Tests;

public sealed class DealMergeTests
{
    private static readonly DateTimeOffset FirstImport = new(2024, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondImport = FirstImport.AddDays(1);

    [Fact]
    public void A_deal_not_stored_yet_is_created_at_version_one()
    {
        var merge = DealMerge.Apply(null, Deals.Open("M1", new DateOnly(2024, 5, 1)), FirstImport);

        Assert.Equal(DealMergeOutcome.Created, merge.Outcome);
        Assert.Equal(1, merge.Deal.Version);
        Assert.Equal(FirstImport, merge.Deal.UpdatedAt);
        Assert.Null(merge.PreviousStage);
        Assert.False(merge.StageChanged);
    }

    [Fact]
    public void The_same_snapshot_again_is_unchanged_and_keeps_the_stored_version()
    {
        var incoming = Deals.Open("M1", new DateOnly(2024, 5, 1));
        var stored = DealMerge.Apply(null, incoming, FirstImport).Deal;

        var merge = DealMerge.Apply(stored, incoming, SecondImport);

        Assert.Equal(DealMergeOutcome.Unchanged, merge.Outcome);
        Assert.Same(stored, merge.Deal);
        Assert.Equal(1, merge.Deal.Version);
        Assert.Equal(FirstImport, merge.Deal.UpdatedAt);
        Assert.False(merge.StageChanged);
    }

    [Fact]
    public void A_changed_amount_is_an_update_at_the_next_version_without_a_stage_change()
    {
        var incoming = Deals.Open("M1", new DateOnly(2024, 5, 1));
        var stored = DealMerge.Apply(null, incoming, FirstImport).Deal;

        var merge = DealMerge.Apply(stored, incoming with { Amount = 30_000m }, SecondImport);

        Assert.Equal(DealMergeOutcome.Updated, merge.Outcome);
        Assert.Equal(2, merge.Deal.Version);
        Assert.Equal(30_000m, merge.Deal.Amount);
        Assert.Equal(SecondImport, merge.Deal.UpdatedAt);
        Assert.False(merge.StageChanged);
    }

    [Fact]
    public void Versions_increase_with_every_accepted_change_and_a_new_stage_is_reported_with_the_old_one()
    {
        var incoming = Deals.Open("M1", new DateOnly(2024, 5, 1), DealStages.Demo);
        var v1 = DealMerge.Apply(null, incoming, FirstImport).Deal;
        var v2 = DealMerge.Apply(v1, incoming with { NextStep = "Call the CFO" }, SecondImport).Deal;

        var merge = DealMerge.Apply(v2, incoming with { NextStep = "Call the CFO", Stage = DealStages.Proposal }, SecondImport.AddHours(1));

        Assert.Equal(DealMergeOutcome.Updated, merge.Outcome);
        Assert.Equal(3, merge.Deal.Version);
        Assert.True(merge.StageChanged);
        Assert.Equal(DealStages.Demo, merge.PreviousStage);
        Assert.Equal(DealStages.Proposal, merge.Deal.Stage);
    }

    [Fact]
    public void A_deal_missing_more_than_three_key_fields_is_flagged_with_the_list()
    {
        var sparse = Deals.Open("M1", new DateOnly(2024, 5, 1)) with { Amount = null, Owner = " ", Industry = null, Region = "" };

        var merged = DealMerge.Apply(null, sparse, FirstImport).Deal;

        Assert.True(merged.DataQualityFlag);
        Assert.Equal(["amount", "owner", "industry", "region"], merged.MissingFields);
    }

    [Fact]
    public void A_deal_missing_exactly_three_key_fields_is_listed_but_not_flagged()
    {
        var assessed = DataQuality.Assess(Deals.Open("M1", new DateOnly(2024, 5, 1)) with { Amount = null, ContactCount = null, LeadSource = null });

        Assert.False(assessed.DataQualityFlag);
        Assert.Equal(["amount", "leadSource", "contactCount"], assessed.MissingFields);
    }

    [Fact]
    public void A_complete_deal_misses_nothing()
    {
        var assessed = DataQuality.Assess(Deals.Open("M1", new DateOnly(2024, 5, 1)));

        Assert.False(assessed.DataQualityFlag);
        Assert.Empty(assessed.MissingFields);
    }

    [Fact]
    public void A_closed_deal_is_not_held_to_a_close_date_or_next_step()
    {
        var closed = Deals.Closed("M1", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)) with { CloseDate = null, NextStep = null };

        Assert.Empty(DataQuality.MissingKeyFields(closed));
    }

    [Fact]
    public async Task A_SkyGeni_row_is_not_held_to_the_fields_that_export_never_has()
    {
        var rows = await ImportReading.ReadAllAsync(new SkyGeniCsvFormat(), SkyGeniCsv.File(
            SkyGeniCsv.Row("D1", closed: "", outcome: ""),
            SkyGeniCsv.Row("D2", closed: "", outcome: "", industry: "", region: "", amount: "", rep: "")));

        var complete = DataQuality.Assess(rows[0].Deal!);
        var sparse = DataQuality.Assess(rows[1].Deal!);

        Assert.Equal(["account", "closeDate", "nextStep", "contactCount", "lastActivity"], complete.UnavailableFields);
        Assert.Equal(DealFields.UntrackedByExports, complete.UntrackedFields);
        Assert.Empty(complete.MissingFields);
        Assert.False(complete.DataQualityFlag);
        Assert.Equal(["amount", "owner", "industry", "region"], sparse.MissingFields);
        Assert.True(sparse.DataQualityFlag);
    }
}

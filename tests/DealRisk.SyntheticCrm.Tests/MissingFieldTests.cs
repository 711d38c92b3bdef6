using DealRisk.Contracts;

namespace DealRisk.SyntheticCrm.Tests;

public sealed class MissingFieldTests
{
    private static int MissingKeyFieldCount(DealSnapshot deal) =>
        new object?[]
        {
            deal.Amount, deal.CloseDate, deal.Owner, deal.Industry, deal.Region,
            deal.LeadSource, deal.NextStep, deal.ContactCount, deal.LastActivityAt,
        }.Count(value => value is null);

    [Fact]
    public void About_three_percent_of_deals_miss_more_than_three_key_fields()
    {
        var share = SampleDeals.All.Count(deal => MissingKeyFieldCount(deal) > 3) / (double)SampleDeals.All.Count;

        Assert.InRange(share, 0.02, 0.042);
    }

    [Fact]
    public void A_missing_field_has_no_history_left_behind()
    {
        foreach (var deal in SampleDeals.All)
        {
            if (deal.Amount is null)
                Assert.DoesNotContain(deal.History, change => change.Field == DealFields.Amount);
            if (deal.Owner is null)
                Assert.DoesNotContain(deal.History, change => change.Field == DealFields.Owner);
            if (deal.CloseDate is null)
                Assert.DoesNotContain(deal.History, change => change.Field == DealFields.CloseDate);
            if (deal.ContactCount is null)
                Assert.DoesNotContain(deal.History, change => change.Field == DealFields.ContactCount);
            if (deal.ActivityCount is null)
                Assert.Empty(deal.ActivityDates);
        }
    }

    [Fact]
    public void Data_quality_flags_are_left_for_ingestion_to_compute()
    {
        Assert.All(SampleDeals.All, deal =>
        {
            Assert.False(deal.DataQualityFlag);
            Assert.Empty(deal.MissingFields);
        });
    }
}

using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;
using DealRisk.Ingestion.Deals;
using DealRisk.Ingestion.Webhooks.HubSpot;

namespace DealRisk.Ingestion.Tests;

/// <summary>A field added to <see cref="TrackedFields"/> is kept in the history, rescores the deal and is carried by HubSpot, with nothing else to change here.</summary>
public sealed class TrackedFieldsTests
{
    private static readonly DateOnly Created = new(2024, 5, 1);
    private static readonly DealSnapshot Before = Deals.Open("T1", Created);

    /// <summary>A deal that differs from <see cref="Before"/> in every tracked field.</summary>
    private static readonly DealSnapshot After = Before with
    {
        Stage = DealStages.Proposal,
        Amount = 61_500.5m,
        CloseDate = Created.AddDays(120),
        Owner = "rep_9",
        NextStep = "Security review",
        ContactCount = 7,
    };

    public static TheoryData<string> Names() => [.. TrackedFields.All.Select(field => field.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_change_to_a_tracked_field_is_appended_to_the_history_and_named_as_a_feature_change(string name)
    {
        var field = TrackedFields.Find(name)!;
        Assert.False(field.SameValue(Before, After), $"The test deals must differ in '{name}': give After a value for it.");
        var changed = field.WithText(Before, field.Text(After));
        var at = Deals.At(Created).AddDays(30);

        var appended = DealHistory.Append(Before, changed, at).Skip(Before.History.Count);

        var change = Assert.Single(appended);
        Assert.Equal((at, name, field.Text(Before), field.Text(After)), (change.At, change.Field, change.From, change.To));
        Assert.Equal([field.ChangeKind], FeatureChanges.Between(Before, changed));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_history_text_reads_back_to_the_same_value(string name)
    {
        var field = TrackedFields.Find(name)!;
        var text = field.Text(After);

        Assert.NotNull(text);
        Assert.Equal(text, field.Text(field.WithText(Before, text)));
        Assert.True(field.SameValue(After, field.WithText(Before, text)));
    }

    [Fact]
    public void HubSpot_carries_every_tracked_field_in_a_property_whose_changes_are_kept()
    {
        Assert.Equal(TrackedFields.All.Select(field => field.Name).Order(), HubSpotDealProperties.Tracked.Select(tracked => tracked.Field.Name).Order());
        Assert.All(HubSpotDealProperties.Tracked, tracked => Assert.Contains(tracked.Property, HubSpotDealProperties.WithHistory));
    }
}

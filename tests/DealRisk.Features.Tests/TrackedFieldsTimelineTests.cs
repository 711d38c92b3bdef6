using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;
using DealRisk.Features.Domain;
using DealRisk.SyntheticCrm;

namespace DealRisk.Features.Tests;

/// <summary>Every field in <see cref="TrackedFields"/> is written by the synthetic CRM's history and undone by the point-in-time timeline.</summary>
public sealed class TrackedFieldsTimelineTests
{
    private static readonly IReadOnlyList<DealSnapshot> Generated =
        [.. SyntheticCrmGenerator.Generate(new SyntheticCrmOptions { Seed = 11, DealCount = 400, AsOf = new DateOnly(2026, 6, 1) })];

    public static TheoryData<string> Names() => [.. TrackedFields.All.Select(field => field.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_timeline_just_before_a_tracked_change_holds_the_value_it_changed_from(string name)
    {
        var field = TrackedFields.Find(name)!;
        var (deal, change) = Generated
            .Select(deal => (Deal: deal, Change: deal.History.LastOrDefault(change => change.Field == name && change.From is not null && !DealStages.IsClosed(change.From))))
            .FirstOrDefault(found => found.Change is not null && !DealStages.IsClosed(found.Deal.Stage));
        Assert.True(change is not null, $"No generated open deal records a change of '{name}': the synthetic CRM does not write it.");

        var property = typeof(DealState).GetProperty(char.ToUpperInvariant(name[0]) + name[1..]);
        Assert.True(property is not null, $"{nameof(DealState)} has no property for the tracked field '{name}'.");
        var before = DealTimeline.AsOf(deal, change.At.AddTicks(-1));
        var after = DealTimeline.AsOf(deal, change.At);

        Assert.Equal(ValueOf(field.WithText(deal, change.From), name), property.GetValue(before));
        Assert.Equal(ValueOf(field.WithText(deal, change.To), name), property.GetValue(after));
    }

    private static object? ValueOf(DealSnapshot deal, string name) =>
        typeof(DealSnapshot).GetProperty(char.ToUpperInvariant(name[0]) + name[1..])!.GetValue(deal);
}

namespace DealRisk.SyntheticCrm;

/// <summary>A field change planned at <see cref="Day"/> days after creation, as history text; a close date travels as a day in <see cref="Number"/>.</summary>
internal readonly record struct PlannedChange(double Day, int Sequence, string Field, string? Text, double Number);

/// <summary>A deal's whole life from creation to close, in days after creation, before it is placed on the calendar.</summary>
internal sealed record DealScript
{
    public required DealTraits Traits { get; init; }
    public required bool Won { get; init; }
    public required double CloseDay { get; init; }
    public required string Account { get; init; }
    public required string Name { get; init; }

    public required int InitialRep { get; init; }
    public required decimal InitialAmount { get; init; }
    public required double InitialCloseDay { get; init; }
    public required int InitialContacts { get; init; }
    public required string? InitialNextStep { get; init; }

    /// <summary>Ordered by day; the first is the entry into the first stage at day 0, the last the close.</summary>
    public required IReadOnlyList<PlannedChange> Changes { get; init; }
    public required IReadOnlyList<double> ActivityDays { get; init; }
    public required KeyFields Missing { get; init; }
}

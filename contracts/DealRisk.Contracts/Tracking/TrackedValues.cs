namespace DealRisk.Contracts.Tracking;

/// <summary>
/// A deal's tracked values with some of them set from history text (undone, or unknown): the rest are read from the
/// snapshot as they are, so a deal nothing is undone on costs nothing.
/// </summary>
public struct TrackedValues(DealSnapshot deal)
{
    private Dictionary<string, string?>? _texts;

    public void Set(string field, string? text) => (_texts ??= new Dictionary<string, string?>(StringComparer.Ordinal))[field] = text;

    public readonly TValue Get<TValue>(TrackedField<TValue> field) =>
        _texts is not null && _texts.TryGetValue(field.Name, out var text) ? field.Parse(text) : field.Read(deal);
}

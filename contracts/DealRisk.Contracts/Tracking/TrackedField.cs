namespace DealRisk.Contracts.Tracking;

/// <summary>
/// A CRM field whose every change a deal's history keeps: how its value is read from and set on a snapshot, the text
/// a history entry holds for it, and which <see cref="DealChangeKinds"/> a change to it is.
/// </summary>
public abstract class TrackedField(string name, string changeKind, string historyChangeKind)
{
    public string Name { get; } = name;

    /// <summary>The kind of change when the field's value differs between two versions.</summary>
    public string ChangeKind { get; } = changeKind;

    /// <summary>The kind of change when only the field's recorded history differs (a late or reordered change).</summary>
    public string HistoryChangeKind { get; } = historyChangeKind;

    /// <summary>The value as a history entry writes it (invariant numbers, yyyy-MM-dd dates); null when unknown.</summary>
    public abstract string? Text(DealSnapshot deal);

    /// <summary>Whether two versions hold the same value (compared as values, not as text).</summary>
    public abstract bool SameValue(DealSnapshot previous, DealSnapshot next);

    /// <summary>The deal holding the value a history entry wrote; text that cannot be read counts as unknown.</summary>
    public abstract DealSnapshot WithText(DealSnapshot deal, string? text);

    /// <summary>The deal after the field was changed to <paramref name="text"/> at <paramref name="at"/> (a field may remember when).</summary>
    public virtual DealSnapshot Changed(DealSnapshot deal, string? text, DateTimeOffset at) => WithText(deal, text);

    public override string ToString() => Name;
}

/// <summary>A tracked field whose value is a <typeparamref name="TValue"/> (a nullable type: null is unknown).</summary>
public sealed class TrackedField<TValue>(
    string name,
    string changeKind,
    Func<DealSnapshot, TValue> read,
    Func<DealSnapshot, TValue, DealSnapshot> write,
    Func<TValue, string?> format,
    Func<string?, TValue> parse,
    string? historyChangeKind = null,
    FieldTimestamp? setAt = null)
    : TrackedField(name, changeKind, historyChangeKind ?? changeKind)
{
    public TValue Read(DealSnapshot deal) => read(deal);

    public TValue Parse(string? text) => parse(text);

    public string? Format(TValue value) => format(value);

    public DealSnapshot With(DealSnapshot deal, TValue value) => write(deal, value);

    public override string? Text(DealSnapshot deal) => format(read(deal));

    public override bool SameValue(DealSnapshot previous, DealSnapshot next) =>
        EqualityComparer<TValue>.Default.Equals(read(previous), read(next)) && (setAt is null || setAt.Read(previous) == setAt.Read(next));

    public override DealSnapshot WithText(DealSnapshot deal, string? text) => write(deal, parse(text));

    public override DealSnapshot Changed(DealSnapshot deal, string? text, DateTimeOffset at) =>
        setAt is null ? WithText(deal, text) : setAt.Write(WithText(deal, text), at);
}

/// <summary>Where a snapshot keeps the time a field was last set.</summary>
public sealed record FieldTimestamp(Func<DealSnapshot, DateTimeOffset?> Read, Func<DealSnapshot, DateTimeOffset?, DealSnapshot> Write);

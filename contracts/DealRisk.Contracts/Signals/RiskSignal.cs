namespace DealRisk.Contracts;

/// <summary>
/// One risk signal as every service knows it: its feature name, unit, what it measures, how a value that raises risk
/// is put in words (null when the value is no risk worth naming) and what to do about it when no rule says otherwise.
/// </summary>
public sealed record RiskSignal(string Name, string Unit, string Description, string DefaultAction, double ExampleValue, Func<double, DealProfile, string?> Phrase)
{
    public string? Describe(double? value, DealProfile deal) => value is { } v ? Phrase(v, deal) : null;
}

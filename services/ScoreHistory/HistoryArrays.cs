namespace DealRisk.ScoreHistory;

/// <summary>A score's lists converted to the history's arrays with a loop: the conversions run for nearly every deal of every batch.</summary>
internal static class HistoryArrays
{
    public static TTo[] Of<TFrom, TTo>(IReadOnlyList<TFrom> items, Func<TFrom, TTo> convert)
    {
        if (items.Count == 0)
            return [];
        var converted = new TTo[items.Count];
        for (var i = 0; i < converted.Length; i++)
            converted[i] = convert(items[i]);
        return converted;
    }
}

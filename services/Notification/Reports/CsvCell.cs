using System.Buffers;

namespace DealRisk.Notification.Reports;

/// <summary>
/// Report cells hold one line: a quoted line break is valid CSV, but tools that split on lines (and the extract's
/// older day-by-line rewrite) turn its continuation into a record of its own, formula escaping lost.
/// </summary>
public static class CsvCell
{
    // Built once: searching for a string of characters, some beyond ASCII, builds its lookup map on every call.
    private static readonly SearchValues<char> LineBreakCharacters = SearchValues.Create("\r\n\u0085\u2028\u2029\v\f");
    private static readonly string[] LineBreaks = ["\r\n", "\r", "\n", "\u0085", "\u2028", "\u2029", "\v", "\f"];

    public static string SingleLine(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value.AsSpan().IndexOfAny(LineBreakCharacters) < 0)
            return value;
        foreach (var lineBreak in LineBreaks)
            value = value.Replace(lineBreak, " ", StringComparison.Ordinal);
        return value;
    }

    /// <summary>As <see cref="SingleLine(string?)"/>; the cell itself, with no copy, when it holds no line break (nearly always).</summary>
    public static ReadOnlySpan<char> SingleLine(ReadOnlySpan<char> value) =>
        value.IndexOfAny(LineBreakCharacters) < 0 ? value : SingleLine(value.ToString());
}

using System.Globalization;

namespace DealRisk.Contracts;

/// <summary>How signal values read in a reason: whole numbers, ratios, shares and win-rate points, culture-invariant.</summary>
internal static class SignalWords
{
    public static string Whole(double value) => Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
    public static string Ratio(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    public static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
    public static string PointsBelow(double lift) => Math.Round(-lift * 100).ToString("0", CultureInfo.InvariantCulture);
    public static string Count(double value, string one, string many) => $"{Whole(value)} {(value == 1 ? one : many)}";
}

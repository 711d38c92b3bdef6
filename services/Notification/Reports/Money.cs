using System.Globalization;

namespace DealRisk.Notification.Reports;

public static class Money
{
    /// <summary>$950, $45k, $1.4M, $6.8B: how sales people say amounts. An amount that rounds up to the next unit is said in it ($999,950 is $1M).</summary>
    public static string Format(decimal amount) => amount switch
    {
        >= 999_950_000m => Scaled(amount, 1_000_000_000m, "B"),
        >= 999_950m => Scaled(amount, 1_000_000m, "M"),
        >= 999.5m => Scaled(amount, 1_000m, "k"),
        _ => $"${amount.ToString("0", CultureInfo.InvariantCulture)}",
    };

    private static string Scaled(decimal amount, decimal unit, string suffix) =>
        $"${(amount / unit).ToString("0.#", CultureInfo.InvariantCulture)}{suffix}";
}

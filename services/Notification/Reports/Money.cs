using System.Globalization;

namespace DealRisk.Notification.Reports;

public static class Money
{
    /// <summary>$950, $45k, $1.4M: how sales people say amounts.</summary>
    public static string Format(decimal amount) => amount switch
    {
        >= 1_000_000m => $"${(amount / 1_000_000m).ToString("0.#", CultureInfo.InvariantCulture)}M",
        >= 1_000m => $"${(amount / 1_000m).ToString("0.#", CultureInfo.InvariantCulture)}k",
        _ => $"${amount.ToString("0", CultureInfo.InvariantCulture)}",
    };
}

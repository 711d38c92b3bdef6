using System.Security.Cryptography;
using System.Text;

namespace DealRisk.Notification.Dashboard;

/// <summary>
/// Configuration section <c>Dashboard</c>: the CRO dashboard's sign-in. The password is a secret and comes from the
/// environment (<c>DASHBOARD_PASSWORD</c>); without one nobody can sign in and the dashboard serves nothing.
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public string UserName { get; set; } = "cro";
    public string? Password { get; set; }
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>High-risk deals listed at most.</summary>
    public int MaxDeals { get; set; } = 500;

    public bool Accepts(string? userName, string? password) =>
        !string.IsNullOrEmpty(Password)
        && FixedTimeEquals(userName ?? "", UserName)
        & FixedTimeEquals(password ?? "", Password);

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

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

    /// <summary>
    /// The session cookie is sent over HTTPS only. Browsers treat <c>http://localhost</c> as secure; turn this off
    /// only for plain HTTP on a trusted network.
    /// </summary>
    public bool SecureCookie { get; set; } = true;

    /// <summary>Sign-in posts one client address may make per minute (429 beyond), on top of the lockout.</summary>
    public int SignInRequestsPerMinute { get; set; } = 10;

    /// <summary>The throttle's key for a typed user name: the configured one, or one shared key for any other.</summary>
    public string Known(string? userName) => string.Equals(userName, UserName, StringComparison.Ordinal) ? UserName : "(other)";

    public bool Accepts(string? userName, string? password) =>
        !string.IsNullOrEmpty(Password)
        && FixedTimeEquals(userName ?? "", UserName)
        & FixedTimeEquals(password ?? "", Password);

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

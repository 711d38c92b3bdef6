using MimeKit;

namespace DealRisk.Notification.Email;

/// <summary>
/// Configuration section <c>Email</c>: the SMTP server the daily summary goes through. The password is a secret and
/// comes from the environment (<c>SMTP_PASSWORD</c>). No host: no email.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>Auto, None, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "DealRisk <dealrisk@localhost>";
    /// <summary>Comma-separated addresses the daily summary goes to.</summary>
    public string Recipients { get; set; } = "";
    /// <summary>Comma-separated addresses spike escalations go to (the CRO); empty: the recipients.</summary>
    public string EscalationRecipients { get; set; } = "";

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Host))]
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public static IReadOnlyList<string> Split(string addresses) =>
        addresses.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> Validate()
    {
        if (!IsConfigured)
            yield break;
        if (Port is < 1 or > 65535)
            yield return "Email:Port must be between 1 and 65535.";
        if (!Enum.TryParse<MailKit.Security.SecureSocketOptions>(Security, ignoreCase: true, out _))
            yield return $"Email:Security '{Security}' is not one of Auto, None, StartTls, StartTlsWhenAvailable, SslOnConnect.";
        if (!MailboxAddress.TryParse(From, out _))
            yield return "Email:From is not an email address.";
        if (Split(Recipients).Count == 0)
            yield return "Email:Recipients is empty: name at least one address to send the daily summary to.";
        foreach (var address in Split(Recipients).Concat(Split(EscalationRecipients)).Where(a => !MailboxAddress.TryParse(a, out _)))
            yield return $"Email recipient '{address}' is not an email address.";
    }
}

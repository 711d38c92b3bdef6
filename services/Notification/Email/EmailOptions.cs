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
    /// <summary>
    /// StartTls (the default), SslOnConnect, or, only without a user name, None, Auto or StartTlsWhenAvailable
    /// (MailKit's SecureSocketOptions). Auto on port 587 falls back to clear text when a man in the middle strips
    /// STARTTLS, which would hand over the password.
    /// </summary>
    public string Security { get; set; } = nameof(MailKit.Security.SecureSocketOptions.StartTls);
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
        if (!Enum.TryParse<MailKit.Security.SecureSocketOptions>(Security, ignoreCase: true, out var security))
            yield return $"Email:Security '{Security}' is not one of StartTls, SslOnConnect, Auto, None, StartTlsWhenAvailable.";
        else if (!string.IsNullOrEmpty(UserName) && security is not (MailKit.Security.SecureSocketOptions.StartTls or MailKit.Security.SecureSocketOptions.SslOnConnect))
            yield return $"Email:Security '{Security}' may send the password in clear text: with Email:UserName set, use StartTls or SslOnConnect.";
        if (!MailboxAddress.TryParse(From, out _))
            yield return "Email:From is not an email address.";
        if (Split(Recipients).Count == 0)
            yield return "Email:Recipients is empty: name at least one address to send the daily summary to.";
        foreach (var address in Split(Recipients).Concat(Split(EscalationRecipients)).Where(a => !MailboxAddress.TryParse(a, out _)))
            yield return $"Email recipient '{address}' is not an email address.";
    }
}

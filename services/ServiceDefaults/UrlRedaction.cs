namespace DealRisk.ServiceDefaults;

/// <summary>
/// Outgoing URLs can carry secrets in their path (a Slack incoming webhook is its own credential), and incoming ones
/// too (the Salesforce endpoint token): only the scheme and authority of a URL are ever logged or traced.
/// </summary>
public static class UrlRedaction
{
    public const string Redacted = "[redacted]";

    public static string Redact(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? $"{uri.GetLeftPart(UriPartial.Authority)}/{Redacted}" : Redacted;

    public static string Redact(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Redact(uri) : Redacted;
}

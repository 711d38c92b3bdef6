using System.Security.Cryptography;
using System.Text;

namespace DealRisk.Ingestion.Webhooks.HubSpot;

/// <summary>HubSpot's v3 request signature: Base64(HMAC-SHA256(secret, METHOD + URI + body + timestamp)).</summary>
public static class HubSpotSignature
{
    public const string SignatureHeader = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";

    // HubSpot signs the URI with these escapes decoded, and only these.
    private static readonly (string Encoded, string Decoded)[] DecodedEscapes =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static bool Matches(string secret, string method, string uri, ReadOnlySpan<byte> body, string timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
            return false;
        var expected = Compute(secret, method, uri, body, timestamp);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    internal static string Compute(string secret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var prefix = Encoding.UTF8.GetBytes(method + DecodeUri(uri));
        var suffix = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[prefix.Length + body.Length + suffix.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        suffix.CopyTo(message, prefix.Length + body.Length);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private static string DecodeUri(string uri)
    {
        foreach (var (encoded, decoded) in DecodedEscapes)
            uri = uri.Replace(encoded, decoded, StringComparison.OrdinalIgnoreCase);
        return uri;
    }
}

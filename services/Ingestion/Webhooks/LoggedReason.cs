using System.Text.RegularExpressions;

namespace DealRisk.Ingestion.Webhooks;

/// <summary>
/// A refusal's reason as it may be logged: the quoted CRM values it cites (a deal name, an owner, a mistyped amount)
/// are withheld. The caller's answer and the stored rejection keep them; logs travel to shared collectors.
/// </summary>
public static partial class LoggedReason
{
    public const string Withheld = "\"(value withheld)\"";

    public static string Of(string reason) => QuotedValue().Replace(reason, Withheld);

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedValue();
}

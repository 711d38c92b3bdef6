using System.Diagnostics;
using OpenTelemetry;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Runs before every exporter: an outgoing span's <c>url.full</c> keeps only scheme and authority, and an incoming
/// span's <c>url.path</c> becomes its route template (<c>/webhooks/salesforce/{token}</c>), so no secret in a URL
/// reaches a trace backend.
/// </summary>
public sealed class UrlRedactingProcessor : BaseProcessor<Activity>
{
    private const string FullUrl = "url.full";
    private const string Path = "url.path";
    private const string Route = "http.route";
    private const string Query = "url.query";

    public override void OnStart(Activity activity) => Redact(activity);

    public override void OnEnd(Activity activity) => Redact(activity);

    private static void Redact(Activity activity)
    {
        if (activity.GetTagItem(FullUrl) is string full && !full.EndsWith(UrlRedaction.Redacted, StringComparison.Ordinal))
            activity.SetTag(FullUrl, UrlRedaction.Redact(full));
        if (activity.GetTagItem(Path) is string)
            activity.SetTag(Path, activity.GetTagItem(Route) as string ?? UrlRedaction.Redacted);
        if (activity.GetTagItem(Query) is string)
            activity.SetTag(Query, UrlRedaction.Redacted);
    }
}

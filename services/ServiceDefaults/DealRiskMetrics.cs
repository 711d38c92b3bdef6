using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// DealRisk's domain metrics, one definition each, recorded by the service that knows the figure and exported over
/// OTLP and at <c>/metrics</c> (Prometheus text, where counters gain <c>_total</c> and the unit <c>s</c> the suffix <c>_seconds</c>).
/// Tags carry categories only (scorer, level, channel, reason, feature), never a deal, a person or a secret.
/// </summary>
public static class DealRiskMetrics
{
    public const string MeterName = "DealRisk";
    public const string ScrapePath = "/metrics";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> DealsScored = Meter.CreateCounter<long>("dealrisk_deals_scored", null, "Deals scored, by scorer (rules or model) and risk level.");
    public static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("dealrisk_batch_duration", "s", "From a daily batch's start to its report.");
    public static readonly Histogram<double> ReportWriteDuration = Meter.CreateHistogram<double>("dealrisk_report_write_duration", "s", "Writing a completed batch's report files (risk report, Tableau extract, summary), after its last scored chunk.");
    public static readonly Gauge<double> BatchThroughput = Meter.CreateGauge<double>("dealrisk_batch_deals_per_second", null, "Open deals per second of the latest daily batch.");
    public static readonly Counter<long> WebhookChanges = Meter.CreateCounter<long>("dealrisk_webhook_changes", null, "CRM webhook changes, accepted or refused, by CRM and reason.");
    public static readonly Histogram<double> RescoreLatency = Meter.CreateHistogram<double>("dealrisk_rescore_latency", "s", "From a deal's change in the CRM to its new score.");
    public static readonly Gauge<long> OutboxDepth = Meter.CreateGauge<long>("dealrisk_outbox_depth", null, "Messages waiting in the outbox, by channel.");
    public static readonly Histogram<double> OutboxDeliveryLatency = Meter.CreateHistogram<double>("dealrisk_outbox_delivery_latency", "s", "From queuing a message to its delivery, by channel.");
    public static readonly Gauge<double> ReportLateness = Meter.CreateGauge<double>("dealrisk_report_lateness", "s", "How late the latest daily report was against its deadline (0 when on time).");
    public static readonly Gauge<double> ModelRocAuc = Meter.CreateGauge<double>("dealrisk_model_roc_auc", null, "Holdout ROC-AUC of the scorer being served (rules or model).");
    public static readonly Gauge<double> FeaturePsi = Meter.CreateGauge<double>("dealrisk_feature_psi", null, "Population stability index of each watched feature against the model's training window.");

    /// <summary><c>/metrics</c> in Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapDealRiskMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint(ScrapePath);
        return routes;
    }
}

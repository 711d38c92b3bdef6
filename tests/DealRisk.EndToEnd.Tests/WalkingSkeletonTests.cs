using System.Diagnostics;
using DealRisk.Contracts;

namespace DealRisk.EndToEnd.Tests;

[Collection(DistributedSystemCollection.Name)]
public sealed class WalkingSkeletonTests(DistributedSystem system)
{
    public const string Synthetic = "synthetic";
    public const string Shared = "shared";

    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The generated export always; the shared historical export too when it lies beside the repository.</summary>
    public static TheoryData<string> Exports()
    {
        var exports = new TheoryData<string> { Synthetic };
        if (File.Exists(RepositoryLayout.SharedExport))
            exports.Add(Shared);
        return exports;
    }

    internal static SkyGeniExport Load(string export) => export switch
    {
        Synthetic => SkyGeniExport.Synthetic(),
        Shared => SkyGeniExport.FromFile(RepositoryLayout.SharedExport),
        _ => throw new ArgumentOutOfRangeException(nameof(export), export, null),
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task An_import_with_a_batch_scores_exactly_the_open_deals_writes_the_report_and_is_one_trace_across_all_four_services(string name)
    {
        var export = Load(name);
        var asOf = export.MiddleDate;
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        var mark = system.Observer.ScoredMark;

        var import = await system.ImportAsync(export, asOf, runBatch: true, traceParent: $"00-{traceId}-{callerSpanId}-01");

        Assert.Equal("completed", import.Status);
        Assert.Equal(export.Deals.Count, import.Rows);
        Assert.Equal(0, import.Rejected);
        var batchId = Assert.IsType<Guid>(import.BatchId);
        var expected = system.ImportedDeals.Where(d => d.IsOpenOn(asOf)).Select(d => d.Id).ToHashSet();
        Assert.NotEmpty(expected);

        var report = await system.Observer.WaitForReportAsync(batchId, ReportTimeout);
        Assert.True(report is not null,
            $"No DailyReportPublished for batch {batchId} within {ReportTimeout.TotalSeconds:0} s.\n{system.Diagnostics()}");

        // The report follows the last chunk through another service, so the observer's copy of that chunk may still be in flight.
        var scored = await Eventually.ReadAsync(
            () => system.Observer.ScoredSince(mark),
            messages => messages.SelectMany(m => m.Scores).Select(s => s.Deal.ExternalId).ToHashSet().SetEquals(expected),
            SettleTimeout);
        Assert.NotEmpty(scored);
        Assert.All(scored, message => Assert.Equal(batchId, message.Batch?.BatchId));
        var scoredIds = scored.SelectMany(m => m.Scores).Select(s => s.Deal.ExternalId).ToHashSet();
        Assert.True(scoredIds.SetEquals(expected),
            $"Scored {scoredIds.Count} deals, {expected.Count} were open on {asOf:yyyy-MM-dd}. " +
            $"Not scored: {string.Join(", ", expected.Except(scoredIds).Take(20))}. Not open: {string.Join(", ", scoredIds.Except(expected).Take(20))}.");
        Assert.Equal(expected.Count, report.OpenDeals);
        Assert.Equal(asOf, report.AsOf);

        var reportDirectory = Path.Combine(system.ReportsDirectory, asOf.ToString("yyyy-MM-dd"));
        Assert.Equal(reportDirectory, report.ReportDirectory);
        var riskReport = Path.Combine(reportDirectory, "risk-report.csv");
        Assert.True(File.Exists(riskReport), $"{riskReport} was not written.");
        Assert.True(File.Exists(Path.Combine(reportDirectory, "executive-summary.md")), $"{reportDirectory}/executive-summary.md was not written.");
        var rows = CsvText.Read(await File.ReadAllTextAsync(riskReport)).ToList();
        Assert.Equal("deal_id", rows[0][0]);
        var reportedIds = rows.Skip(1).Select(row => row[0]).ToList();
        Assert.Equal(expected.Count, reportedIds.Count);
        Assert.True(reportedIds.ToHashSet().SetEquals(expected), "The report's deals are not the deals open on the as-of date.");

        var caller = callerSpanId.ToHexString();
        var spans = await Eventually.ReadAsync(
            () => DistributedSystem.Services.ToDictionary(s => s, s => TraceFiles.Read(system.TraceFile(s)).Where(span => span.TraceId == traceId.ToHexString()).ToList()),
            byService => byService.Values.All(list => list.Count > 0) && Unlinked(byService.Values.SelectMany(list => list), caller).Count == 0,
            SettleTimeout);
        var perService = string.Join(", ", spans.Select(s => $"{s.Key} {s.Value.Count}"));
        foreach (var (service, inTrace) in spans)
        {
            Assert.True(inTrace.Count > 0, $"{service} recorded no span in trace {traceId}; spans per service: {perService}.\n{system.Diagnostics()}");
            Assert.All(inTrace, span => Assert.Equal(service.ToLowerInvariant(), span.Service));
        }
        Assert.Contains(spans["Ingestion"], span => span.Kind == "Server" && span.ParentSpanId == caller);
        var unlinked = Unlinked(spans.Values.SelectMany(list => list), caller);
        Assert.True(unlinked.Count == 0,
            $"Spans of trace {traceId} whose parent is in no service's trace file: " +
            string.Join(", ", unlinked.Take(10).Select(s => $"{s.Service} '{s.Name}' (parent {s.ParentSpanId})")));
    }

    /// <summary>Spans whose parent is neither another span of the trace nor the caller's: a hop where the context was lost.</summary>
    private static List<SpanRecord> Unlinked(IEnumerable<SpanRecord> trace, string callerSpanId)
    {
        var spans = trace.ToList();
        var ids = spans.Select(s => s.SpanId).Append(callerSpanId).ToHashSet();
        return spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).ToList();
    }
}

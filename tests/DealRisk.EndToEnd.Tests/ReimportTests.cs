namespace DealRisk.EndToEnd.Tests;

[Collection(DistributedSystemCollection.Name)]
public sealed class ReimportTests(DistributedSystem system)
{
    /// <summary>Long enough for a message from a stray rescore to cross three hops on a warm system.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Posting_the_same_export_again_without_a_batch_reports_every_row_unchanged_and_scores_nothing()
    {
        var export = WalkingSkeletonTests.Load(WalkingSkeletonTests.Synthetic);
        var first = await system.ImportAsync(export, asOf: null, runBatch: false);
        Assert.Equal(0, first.Rejected);
        var mark = system.Observer.ScoredMark;

        var again = await system.ImportAsync(export, asOf: null, runBatch: false);
        await Task.Delay(Quiet);

        Assert.Equal("completed", again.Status);
        Assert.Equal(export.Deals.Count, again.Rows);
        Assert.Equal(export.Deals.Count, again.Unchanged);
        Assert.Equal(0, again.Created);
        Assert.Equal(0, again.Updated);
        Assert.Null(again.BatchId);
        var scored = system.Observer.ScoredSince(mark);
        Assert.True(scored.Count == 0,
            $"Re-importing unchanged deals published {scored.Count} DealScored " +
            $"({string.Join(", ", scored.SelectMany(m => m.Scores).Select(s => s.Deal.ExternalId).Take(20))}).\n{system.Diagnostics()}");
    }
}

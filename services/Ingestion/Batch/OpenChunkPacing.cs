using Microsoft.Extensions.Options;

namespace DealRisk.Ingestion.Batch;

/// <summary>
/// Keeps a batch's open chunks from running far ahead of the services: before publishing one, waits until fewer than
/// <see cref="IngestionOptions.BatchChunksInFlight"/> published chunks are still unscored (counted from the receipts
/// ingestion records as scored chunks come back, in any replica). Without it every chunk of the book sits in queues at
/// once (in the embedded bus's memory, or the broker's), so memory grows with the book.
/// </summary>
public sealed class OpenChunkPacing(ScoredChunkReceipts receipts, IOptions<IngestionOptions> options, TimeProvider time, ILogger<OpenChunkPacing> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Returns once the chunk after <paramref name="published"/> open chunks may go, or false at once when this batch
    /// stopped being paced: no chunk came back for <see cref="IngestionOptions.BatchPacingStall"/>, after which the
    /// rest is published as it would be without pacing rather than holding the batch forever.
    /// </summary>
    public async Task<bool> WaitForRoomAsync(Guid batchId, int published, CancellationToken cancellationToken)
    {
        var inFlight = options.Value.BatchChunksInFlight;
        if (inFlight == 0 || published < inFlight)
            return true;

        var lastScored = -1L;
        var lastProgress = time.GetTimestamp();
        while (true)
        {
            var scored = await receipts.CountAsync(batchId, cancellationToken);
            if (published - scored < inFlight)
                return true;
            if (scored != lastScored)
            {
                lastScored = scored;
                lastProgress = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(lastProgress) > options.Value.BatchPacingStall)
            {
                logger.LogWarning(
                    "Batch {BatchId}: no scored chunk came back for {Stall} with {Waiting} of {Published} published chunks unscored; publishing the rest unpaced",
                    batchId, options.Value.BatchPacingStall, published - scored, published);
                return false;
            }
            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}

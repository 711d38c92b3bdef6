using DealRisk.Scoring.Storage;
using Microsoft.Extensions.Options;

namespace DealRisk.Scoring.Modeling;

/// <summary>A training run that another replica is still working on (its lease has not run out): the message is retried later.</summary>
public sealed class TrainingRunInProgressException(string runId, DateTimeOffset? leaseUntil)
    : Exception($"Training run {runId} is being trained by another replica (its lease runs until {leaseUntil:O}); will try again.");

/// <summary>
/// Claims a training run for this replica so that one replica trains it, with a lease renewed while training: a replica
/// that is killed mid-run stops renewing, and once the lease has run out the redelivered run takes the claim over rather
/// than finding it and reporting success with nothing trained.
/// </summary>
public sealed partial class TrainingRunClaims(ScoreStore store, IOptions<ScoringOptions> options, TimeProvider time, ILogger<TrainingRunClaims> logger)
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private TimeSpan Lease => options.Value.TrainingLease;

    /// <returns>The lease to train under, or null when the run has been trained already.</returns>
    /// <exception cref="TrainingRunInProgressException">Another replica holds a live claim.</exception>
    public async Task<TrainingLease?> TryClaimAsync(string runId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = new TrainingClaim { At = now, Owner = _owner, LeaseUntil = now + Lease };
        if (await store.TrainingClaims.InsertIfAbsentAsync(runId, claim, cancellationToken))
            return Start(runId, claim);

        var held = await store.TrainingClaims.GetAsync(runId, cancellationToken);
        if (held is null)
            throw new TrainingRunInProgressException(runId, null);
        if (held.Finished || held.LeaseUntil is null)
            return null;
        if (held.LeaseUntil > now)
            throw new TrainingRunInProgressException(runId, held.LeaseUntil);

        var takeover = claim with { Revision = held.Revision + 1 };
        if (!await store.TrainingClaims.UpsertIfNewerAsync(runId, takeover.Revision, takeover, cancellationToken))
            throw new TrainingRunInProgressException(runId, null);
        LogTakenOver(runId, held.Owner, held.LeaseUntil.Value);
        return Start(runId, takeover);
    }

    private TrainingLease Start(string runId, TrainingClaim claim) => new(store, runId, claim, Lease, time, logger);

    [LoggerMessage(LogLevel.Warning, "Training run {RunId} was claimed by {Owner}, whose lease ran out at {LeaseUntil}; taking it over")]
    private partial void LogTakenOver(string runId, string? owner, DateTimeOffset leaseUntil);
}

/// <summary>A claimed training run: renews its lease until the run is finished or released.</summary>
public sealed partial class TrainingLease : IAsyncDisposable
{
    private readonly ScoreStore _store;
    private readonly string _runId;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private TrainingClaim _claim;

    internal TrainingLease(ScoreStore store, string runId, TrainingClaim claim, TimeSpan lease, TimeProvider time, ILogger logger)
    {
        _store = store;
        _runId = runId;
        _claim = claim;
        _lease = lease;
        _time = time;
        _logger = logger;
        _renewing = RenewAsync(_stop.Token);
    }

    /// <summary>Marks the run trained: a redelivery of it is then a no-op.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        await WriteAsync(_claim with { LeaseUntil = null, Finished = true }, cancellationToken);
    }

    /// <summary>Gives the run up (it failed): its retry claims it afresh.</summary>
    public async Task ReleaseAsync()
    {
        await StopRenewingAsync();
        await _store.TrainingClaims.DeleteAsync(_runId, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        _stop.Dispose();
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_lease / 3, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!await WriteAsync(_claim with { LeaseUntil = _time.GetUtcNow() + _lease }, cancellationToken))
                {
                    LogLost(_runId);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogRenewalFailed(e, _runId);
        }
    }

    private async Task<bool> WriteAsync(TrainingClaim next, CancellationToken cancellationToken)
    {
        next = next with { Revision = _claim.Revision + 1 };
        if (!await _store.TrainingClaims.UpsertIfNewerAsync(_runId, next.Revision, next, cancellationToken))
            return false;
        _claim = next;
        return true;
    }

    private async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        await _renewing;
    }

    [LoggerMessage(LogLevel.Warning, "Training run {RunId}: another replica took the claim over while this one was still training")]
    private partial void LogLost(string runId);

    [LoggerMessage(LogLevel.Warning, "Training run {RunId}: renewing the claim failed; another replica may take it over once it expires")]
    private partial void LogRenewalFailed(Exception exception, string runId);
}

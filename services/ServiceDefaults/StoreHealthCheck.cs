using DealRisk.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DealRisk.ServiceDefaults;

/// <summary>Ready only when the service's store was set up and still answers: a replica that cannot use it leaves rotation.</summary>
public sealed class StoreHealthCheck(StoreSetUp setUp, Func<IDocumentStore> store) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!setUp.IsReady)
            return HealthCheckResult.Unhealthy($"The {setUp.ServiceName} store is not set up yet: {setUp.LastFailure ?? "in progress"}");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PingTimeout);
            await store().PingAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The {setUp.ServiceName} store cannot be used.", exception);
        }
    }
}

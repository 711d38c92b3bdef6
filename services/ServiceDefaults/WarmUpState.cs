using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DealRisk.ServiceDefaults;

/// <summary>Whether the service has warmed up once since it started: bus connected, topology declared, hot paths run.</summary>
public sealed class WarmUpState
{
    private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsWarm => _warm.Task.IsCompleted;

    public void MarkWarm() => _warm.TrySetResult();

    public Task WaitAsync(TimeSpan timeout) => _warm.Task.WaitAsync(timeout);
}

/// <summary>Unhealthy until the warm-up finished, so a load balancer sends nothing to a cold process.</summary>
public sealed class WarmUpHealthCheck(WarmUpState state) : IHealthCheck
{
    public const string Name = "warm-up";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsWarm
            ? HealthCheckResult.Healthy("Warmed up.")
            : HealthCheckResult.Unhealthy("Still warming up: bus, topology and hot paths not ready yet."));
}

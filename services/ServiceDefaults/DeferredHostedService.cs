using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Builds the hosted service only when the host starts it, rather than when the host lists its services: one that
/// needs the store is then constructed after <see cref="StoreSetUp"/> has made it ready.
/// </summary>
internal sealed class DeferredHostedService<T>(IServiceProvider services) : IHostedService where T : class, IHostedService
{
    private T? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service = services.GetRequiredService<T>();
        return _service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}

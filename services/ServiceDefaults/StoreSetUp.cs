using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

/// <summary>
/// Creates a service's collections and indexes at start-up by resolving the classes that declare them (and runs their
/// <see cref="IStoreMigration"/>, if they have one). It is
/// registered before the bus, and hosted services start in order, so no endpoint consumes before the store is ready.
/// A failed attempt is retried (nothing half-made is kept: the classes are resolved afresh) until it succeeds.
/// </summary>
public sealed partial class StoreSetUp(string serviceName, IReadOnlyList<Type> storeTypes, IServiceProvider services, ILogger<StoreSetUp> logger)
    : IHostedService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private volatile bool _ready;
    private volatile string? _lastFailure;

    public string ServiceName => serviceName;

    public bool IsReady => _ready;

    /// <summary>Why the last attempt failed, while the store is not ready.</summary>
    public string? LastFailure => _lastFailure;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var type in storeTypes)
                {
                    if (services.GetRequiredService(type) is IStoreMigration migration)
                        await migration.MigrateAsync(cancellationToken);
                }
                _ready = true;
                _lastFailure = null;
                LogReady(serviceName, storeTypes.Count);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _lastFailure = $"{exception.GetType().Name}: {exception.Message}";
                var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempt - 1, 10)), MaxBackoff.TotalSeconds));
                LogSetUpFailed(exception, serviceName, attempt, wait);
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "The {Service} store is set up ({Classes} classes declared their collections)")]
    private partial void LogReady(string service, int classes);

    [LoggerMessage(LogLevel.Error, "Setting up the {Service} store failed (attempt {Attempt}); trying again in {Wait}")]
    private partial void LogSetUpFailed(Exception exception, string service, int attempt, TimeSpan wait);
}

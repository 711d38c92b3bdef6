using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DealRisk.ServiceDefaults;

public static class BusinessTimeZoneExtensions
{
    /// <summary>Registers the <see cref="BusinessTimeZone"/> once however many services in the process ask for it; it is read at start-up, which fails on a bad setting.</summary>
    public static IServiceCollection AddBusinessTimeZone(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => BusinessTimeZone.From(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BusinessTimeZoneCheck>());
        return services;
    }
}

/// <summary>Reads the business time zone when the host starts, so a bad setting stops it, and warns about deprecated settings.</summary>
internal sealed class BusinessTimeZoneCheck(BusinessTimeZone business, ILogger<BusinessTimeZoneCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in business.DeprecatedSettingsUsed)
            logger.LogWarning("{Setting} is deprecated: set {BusinessSetting} instead (it applies to the morning sync and the report deadline alike)", setting, BusinessTimeZone.Setting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

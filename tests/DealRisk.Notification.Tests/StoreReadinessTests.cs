using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

public sealed class StoreReadinessTests
{
    [Fact]
    public async Task The_bus_waits_for_the_store_and_readiness_fails_while_the_store_is_unusable()
    {
        using var directory = new TempDirectory();
        var database = Path.Combine(directory.Path, "data", "notification.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await File.WriteAllBytesAsync(database, NotADatabase());
        using var host = BuildHost(directory);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var starting = host.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.False(starting.IsCompleted, $"The host finished starting (bus included) on a store it could not set up: {starting.Exception}");
        Assert.Equal(HealthStatus.Unhealthy, (await Readiness(health)).Entries["notification-store"].Status);
        Assert.Equal(HealthStatus.Healthy, (await Liveness(health)).Status);

        File.Delete(database);
        await starting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HealthStatus.Healthy, (await Readiness(health)).Entries["notification-store"].Status);
        // A move is atomic; a recursive delete races with the running service creating files beside its database.
        Directory.Move(Path.GetDirectoryName(database)!, Path.Combine(directory.Path, "data-gone"));
        var unusable = await Readiness(health);
        Assert.Equal(HealthStatus.Unhealthy, unusable.Entries["notification-store"].Status);
        Assert.Contains("notification store cannot be used", unusable.Entries["notification-store"].Description);
        Assert.Equal(HealthStatus.Healthy, (await Liveness(health)).Status);
        await host.StopAsync();
    }

    private static IHost BuildHost(TempDirectory directory)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = Path.Combine(directory.Path, "data"),
            ["Reports:OutputDirectory"] = Path.Combine(directory.Path, "results"),
        });
        builder.AddServiceDefaults();
        builder.AddNotificationService();
        builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddNotificationConsumers());
        return builder.Build();
    }

    private static byte[] NotADatabase() => Enumerable.Repeat((byte)0x5A, 8192).ToArray();

    private static Task<HealthReport> Readiness(HealthCheckService health) =>
        health.CheckHealthAsync(check => check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag));

    private static Task<HealthReport> Liveness(HealthCheckService health) =>
        health.CheckHealthAsync(check => check.Tags.Contains(ServiceDefaultsExtensions.LiveTag));
}

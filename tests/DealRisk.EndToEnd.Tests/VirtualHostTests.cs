namespace DealRisk.EndToEnd.Tests;

public sealed class VirtualHostTests
{
    [Fact]
    public async Task A_service_given_a_virtual_host_the_broker_lacks_stops_at_start_up_naming_it_and_the_fix()
    {
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var missing = $"dealrisk-missing-{Guid.NewGuid():N}";
        var directory = Directory.CreateTempSubdirectory("dealrisk-vhost-");
        using var features = ServiceProcess.Start("Features", RepositoryLayout.ServiceDll("Features"), directory.FullName,
            broker.ServiceSettings(missing, new Dictionary<string, string> { ["Storage__DataDirectory"] = Path.Combine(directory.FullName, "data") }));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => features.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("exited with code", failure.Message);
        Assert.Contains($"has no virtual host '{missing}'", failure.Message);
        Assert.Contains($"rabbitmqctl add_vhost {missing}", failure.Message);
        directory.Delete(recursive: true);
    }
}

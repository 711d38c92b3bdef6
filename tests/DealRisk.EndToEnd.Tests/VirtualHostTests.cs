namespace DealRisk.EndToEnd.Tests;

public sealed class VirtualHostTests
{
    [Fact]
    public async Task A_service_given_a_virtual_host_the_broker_lacks_stops_at_start_up_naming_it_and_the_fix()
    {
        await using var broker = await RabbitMqBroker.ConnectAsync();
        var missing = $"dealrisk-missing-{Guid.NewGuid():N}";
        var directory = Directory.CreateTempSubdirectory("dealrisk-vhost-");
        using var features = ServiceProcess.Start("Features", RepositoryLayout.ServiceDll("Features"), directory.FullName, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(directory.FullName, "data"),
            ["Bus__Transport"] = "RabbitMq",
            ["Bus__RabbitMq__Host"] = broker.Host,
            ["Bus__RabbitMq__Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bus__RabbitMq__VirtualHost"] = missing,
            ["Bus__RabbitMq__Username"] = broker.Username,
            ["Bus__RabbitMq__Password"] = broker.Password,
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => features.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("exited with code", failure.Message);
        Assert.Contains($"has no virtual host '{missing}'", failure.Message);
        Assert.Contains($"rabbitmqctl add_vhost {missing}", failure.Message);
        directory.Delete(recursive: true);
    }
}

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

        // One check that shows the whole output when it fails: xunit's Contains shows only its first few dozen characters.
        string[] expected = ["exited with code", $"has no virtual host '{missing}'", $"rabbitmqctl add_vhost {missing}"];
        Assert.True(expected.All(failure.Message.Contains), $"The service's failure should name the virtual host and the fix:\n{failure.Message}");
        directory.Delete(recursive: true);
    }
}

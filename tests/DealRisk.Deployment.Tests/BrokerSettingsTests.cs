using System.Text.RegularExpressions;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// Broker settings every broker the project sets up (Compose, Kubernetes, the set-up script) shares. Ingestion holds the
/// <c>RunDailyBatch</c> delivery unacknowledged while it paces the batch's chunks; RabbitMQ closes such a channel after
/// its <c>consumer_timeout</c> (30 minutes by default). Real-time messages are kept in their queue's index
/// (<c>queue_index_embed_msgs_below</c>, 4 KB by default) rather than the shared message store, whose roll-over stalled
/// every queue's deliveries.
/// </summary>
public sealed class BrokerSettingsTests
{
    private static readonly TimeSpan RequiredConsumerTimeout = TimeSpan.FromHours(6);
    /// <summary>A webhook's ten changes announced together: about 45 KB measured, more for deals with long histories.</summary>
    private const long LargestRealTimeMessage = 64 * 1024;
    /// <summary>A scored batch chunk, the smallest of the large chunk messages: about 230 KB measured.</summary>
    private const long SmallestChunkMessage = 200 * 1024;

    [Fact]
    public void Compose_Kubernetes_and_the_set_up_script_give_the_broker_the_same_consumer_timeout_of_at_least_six_hours()
    {
        var timeout = TheSameEverywhere("consumer_timeout");
        Assert.True(TimeSpan.FromMilliseconds(timeout) >= RequiredConsumerTimeout, $"consumer_timeout {timeout} ms is under {RequiredConsumerTimeout}.");
    }

    [Fact]
    public void Compose_Kubernetes_and_the_set_up_script_keep_real_time_messages_but_not_batch_chunks_in_the_queue_index()
    {
        var embedBelow = TheSameEverywhere("queue_index_embed_msgs_below");
        Assert.True(embedBelow >= LargestRealTimeMessage, $"queue_index_embed_msgs_below {embedBelow} bytes leaves real-time messages of up to {LargestRealTimeMessage} bytes in the shared message store.");
        Assert.True(embedBelow < SmallestChunkMessage, $"queue_index_embed_msgs_below {embedBelow} bytes would keep batch chunks of {SmallestChunkMessage} bytes in queue indexes.");
    }

    private static long TheSameEverywhere(string setting)
    {
        var compose = ErlangArgument(setting, DockerComposeTests.Service("rabbitmq")["environment"].AsEnvironment().GetValueOrDefault("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"), "docker-compose.yml");
        var kubernetes = ErlangArgument(setting, KubernetesRabbitMqEnvironment().GetValueOrDefault("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"), "deploy/k8s/rabbitmq.yaml");
        var script = new Regex($@"application:set_env\(rabbit, {setting}, (\d+)\)").Match(File.ReadAllText(Repository.PathOf("deploy/scripts/ensure-rabbitmq.sh")));
        Assert.True(script.Success, $"deploy/scripts/ensure-rabbitmq.sh does not set rabbit's {setting}.");

        Assert.Equal(compose, kubernetes);
        Assert.Equal(compose, long.Parse(script.Groups[1].Value));
        return compose;
    }

    private static long ErlangArgument(string setting, string? arguments, string where)
    {
        var match = new Regex($@"-rabbit {setting} (\d+)").Match(arguments ?? "");
        Assert.True(match.Success, $"{where} gives the broker no '-rabbit {setting}' in RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS.");
        return long.Parse(match.Groups[1].Value);
    }

    private static Dictionary<string, string?> KubernetesRabbitMqEnvironment()
    {
        var statefulSet = Yaml.LoadAll(Repository.PathOf("deploy/k8s/rabbitmq.yaml"))
            .Single(r => r["kind"].Text == "StatefulSet" && r["metadata"]["name"].Text == "rabbitmq");
        var container = Assert.Single(statefulSet["spec"]["template"]["spec"]["containers"].Items);
        return container["env"].Items.Where(v => v["value"].Exists).ToDictionary(v => v["name"].Text!, v => v["value"].Text);
    }
}

using System.Text.RegularExpressions;

namespace DealRisk.Deployment.Tests;

/// <summary>
/// Ingestion holds the <c>RunDailyBatch</c> delivery unacknowledged while it paces the batch's chunks; RabbitMQ closes
/// such a channel after its <c>consumer_timeout</c> (30 minutes by default). Every broker the project sets up raises it alike.
/// </summary>
public sealed partial class BrokerConsumerTimeoutTests
{
    private static readonly TimeSpan Required = TimeSpan.FromHours(6);

    [Fact]
    public void Compose_Kubernetes_and_the_set_up_script_give_the_broker_the_same_consumer_timeout_of_at_least_six_hours()
    {
        var compose = ErlangArgument(DockerComposeTests.Service("rabbitmq")["environment"].AsEnvironment().GetValueOrDefault("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"), "docker-compose.yml");
        var kubernetes = ErlangArgument(KubernetesRabbitMqEnvironment().GetValueOrDefault("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"), "deploy/k8s/rabbitmq.yaml");
        var script = SetEnv().Match(File.ReadAllText(Repository.PathOf("deploy/scripts/ensure-rabbitmq.sh")));
        Assert.True(script.Success, "deploy/scripts/ensure-rabbitmq.sh does not set rabbit's consumer_timeout.");

        Assert.Equal(compose, kubernetes);
        Assert.Equal(compose, long.Parse(script.Groups[1].Value));
        Assert.True(TimeSpan.FromMilliseconds(compose) >= Required, $"consumer_timeout {compose} ms is under {Required}.");
    }

    private static long ErlangArgument(string? arguments, string where)
    {
        var match = ErlArg().Match(arguments ?? "");
        Assert.True(match.Success, $"{where} gives the broker no '-rabbit consumer_timeout' in RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS.");
        return long.Parse(match.Groups[1].Value);
    }

    private static Dictionary<string, string?> KubernetesRabbitMqEnvironment()
    {
        var statefulSet = Yaml.LoadAll(Repository.PathOf("deploy/k8s/rabbitmq.yaml"))
            .Single(r => r["kind"].Text == "StatefulSet" && r["metadata"]["name"].Text == "rabbitmq");
        var container = Assert.Single(statefulSet["spec"]["template"]["spec"]["containers"].Items);
        return container["env"].Items.Where(v => v["value"].Exists).ToDictionary(v => v["name"].Text!, v => v["value"].Text);
    }

    [GeneratedRegex(@"-rabbit consumer_timeout (\d+)")]
    private static partial Regex ErlArg();

    [GeneratedRegex(@"application:set_env\(rabbit, consumer_timeout, (\d+)\)")]
    private static partial Regex SetEnv();
}

using System.Diagnostics;

namespace DealRisk.Deployment.Tests;

public sealed class SetUpScriptTests
{
    [Theory]
    [InlineData("Ingestion__ApiKey", "key-from-the-setting")]
    [InlineData("DEALRISK_API_KEY", "key-from-the-short-name")]
    public void Make_up_and_make_demo_use_the_API_key_given_under_either_name(string variable, string key)
    {
        var (exitCode, output, _) = Run("deploy/scripts/api-key.sh", (variable, key));

        Assert.Equal(0, exitCode);
        Assert.Equal(key, output.Trim());
        foreach (var script in new[] { "deploy/scripts/up.sh", "deploy/scripts/demo.sh" })
            Assert.Contains("api_key=$(deploy/scripts/api-key.sh)", File.ReadAllText(Repository.PathOf(script)));
        Assert.Contains("Ingestion__ApiKey=\"$api_key\"", File.ReadAllText(Repository.PathOf("deploy/scripts/up.sh")));
    }

    [Fact]
    public void Two_different_API_keys_under_the_two_names_are_refused_naming_both()
    {
        var (exitCode, output, error) = Run("deploy/scripts/api-key.sh", ("Ingestion__ApiKey", "one"), ("DEALRISK_API_KEY", "two"));

        Assert.NotEqual(0, exitCode);
        Assert.Equal("", output);
        Assert.Contains("Ingestion__ApiKey and DEALRISK_API_KEY are both set and differ", error);
    }

    [Fact]
    public void The_RabbitMQ_script_creates_the_configured_virtual_host_and_grants_the_configured_user()
    {
        var script = File.ReadAllText(Repository.PathOf("deploy/scripts/ensure-rabbitmq.sh"));

        Assert.Contains("vhost=${Bus__RabbitMq__VirtualHost:-/}", script);
        Assert.Contains("rabbitmqctl -q add_vhost \"$vhost\"", script);
        Assert.Contains("set_permissions -p \"$vhost\" \"${Bus__RabbitMq__Username:-guest}\"", script);
    }

    private static (int ExitCode, string Output, string Error) Run(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Repository.PathOf(script));
        start.Environment.Remove("Ingestion__ApiKey");
        start.Environment.Remove("DEALRISK_API_KEY");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }
}

using Microsoft.Extensions.Configuration;

namespace DealRisk.Deployment.Tests;

public sealed class KubernetesManifestTests
{
    private const string SecretTemplate = "secret.template.yaml";
    private static readonly string Directory = Repository.PathOf("deploy/k8s");

    private static readonly IReadOnlyList<Yaml> Resources = System.IO.Directory.GetFiles(Directory, "*.yaml")
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .Order(StringComparer.Ordinal)
        .SelectMany(Yaml.LoadAll)
        .ToList();

    private static Yaml Resource(string kind, string name) =>
        Resources.SingleOrDefault(r => r["kind"].Text == kind && r["metadata"]["name"].Text == name)
        ?? throw new Xunit.Sdk.XunitException($"deploy/k8s holds no {kind} named {name}.");

    [Fact]
    public void Every_manifest_parses_names_its_kind_and_is_applied_by_the_kustomization_except_the_secret_template()
    {
        Assert.NotEmpty(Resources);
        Assert.All(Resources, resource =>
        {
            Assert.False(string.IsNullOrEmpty(resource["apiVersion"].Text), $"{resource.Path} has no apiVersion.");
            Assert.False(string.IsNullOrEmpty(resource["kind"].Text), $"{resource.Path} has no kind.");
            Assert.False(string.IsNullOrEmpty(resource["metadata"]["name"].Text), $"{resource.Path} has no metadata.name.");
        });

        var listed = Yaml.Load(Path.Combine(Directory, "kustomization.yaml"))["resources"].Items.Select(i => i.Text!).ToHashSet();
        var files = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not "kustomization.yaml" and not SecretTemplate).ToHashSet();
        Assert.Equal(files.Order(), listed.Order());
    }

    [Fact]
    public void Every_compose_service_has_a_Deployment_running_its_image_behind_a_Service_with_health_probes()
    {
        foreach (var (name, service) in DockerComposeTests.BuiltServices().Values)
        {
            var container = Assert.Single(Resource("Deployment", name)["spec"]["template"]["spec"]["containers"].Items);
            Assert.Equal(ImageRepository(service["image"].Text), ImageRepository(container["image"].Text));
            Assert.Equal("/health/ready", container["readinessProbe"]["httpGet"]["path"].Text);
            Assert.Equal("/alive", container["livenessProbe"]["httpGet"]["path"].Text);
            Assert.Contains(container["ports"].Items, p => p["containerPort"].Text == "8080");
            Assert.Equal(name, Resource("Service", name)["spec"]["selector"]["app"].Text);
        }
        foreach (var statefulSet in new[] { "rabbitmq", "mongodb" })
            Assert.Equal(statefulSet, Resource("StatefulSet", statefulSet)["spec"]["serviceName"].Text);
    }

    [Fact]
    public void Every_service_gets_the_settings_docker_compose_gives_it_and_each_binds_to_a_real_option()
    {
        var problems = new List<string>();
        foreach (var (name, service) in DockerComposeTests.BuiltServices().Values)
        {
            var environment = Environment(name);
            Assert.Equal(service["environment"].AsEnvironment().Keys.Order(), environment.Keys.Order());
            problems.AddRange(environment.Select(e => ConfigurationKeys.Problem(e.Key, e.Value) is { } p ? $"{name}: {p}" : null).OfType<string>());
            Assert.Equal(name, environment["OTEL_SERVICE_NAME"]);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Ingestion_features_and_scoring_run_two_replicas_that_compete_for_the_same_queues()
    {
        foreach (var name in new[] { "ingestion", "features", "scoring" })
            Assert.True(Replicas(name) >= 2, $"{name} should run at least two replicas.");
    }

    [Fact]
    public void Every_deployment_runs_no_more_replicas_than_the_README_says_it_may()
    {
        var allowed = ReplicationTable();
        var services = DockerComposeTests.BuiltServices().Values.Select(service => service.Name).ToHashSet();
        var deployments = Resources.Where(r => r["kind"].Text == "Deployment" && services.Contains(r["metadata"]["name"].Text!)).ToList();
        Assert.Equal(services.Order(), deployments.Select(d => d["metadata"]["name"].Text!).Order());
        foreach (var deployment in deployments)
        {
            var name = deployment["metadata"]["name"].Text!;
            Assert.True(allowed.TryGetValue(name, out var rule), $"README's replica table does not say whether {name} may be replicated.");
            Assert.True(rule.StartsWith("any", StringComparison.Ordinal) || rule.StartsWith("one", StringComparison.Ordinal),
                $"README's replica table says '{rule}' for {name}: it should start with 'any' or 'one'.");
            if (rule.StartsWith("one", StringComparison.Ordinal))
                Assert.True(Replicas(name) == 1, $"README says {name} runs one replica; the manifest runs {Replicas(name)}.");
            if (Replicas(name) > 1 && rule.Contains("ReadWriteMany", StringComparison.Ordinal))
            {
                var claims = deployment["spec"]["template"]["spec"]["volumes"].Items
                    .Select(v => v["persistentVolumeClaim"]["claimName"].Text).OfType<string>();
                Assert.All(claims, claim => Assert.Contains(Resource("PersistentVolumeClaim", claim)["spec"]["accessModes"].Items, mode => mode.Text == "ReadWriteMany"));
            }
        }
    }

    private static int Replicas(string deployment) => int.Parse(Resource("Deployment", deployment)["spec"]["replicas"].Text ?? "1");

    /// <summary>README's "Running several replicas" table: service → how many replicas it may run.</summary>
    private static Dictionary<string, string> ReplicationTable()
    {
        var lines = File.ReadAllLines(Repository.PathOf("README.md"));
        var section = Array.IndexOf(lines, "## Running several replicas");
        Assert.True(section >= 0, "README.md has no \"## Running several replicas\" section.");
        return lines.Skip(section + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2)
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1], cells => cells[2]);
    }

    [Fact]
    public void Every_secret_a_manifest_reads_is_in_the_secret_template_and_the_template_holds_no_secret()
    {
        var template = Yaml.Load(Path.Combine(Directory, SecretTemplate));
        var keys = template["stringData"].Entries.ToDictionary(e => e.Key, e => e.Value.Text);
        Assert.All(keys, key => Assert.True(string.IsNullOrEmpty(key.Value), $"{SecretTemplate} must not carry a value for {key.Key}."));

        var references = Resources.SelectMany(r => Containers(r))
            .SelectMany(c => c["env"].Items)
            .Select(e => e["valueFrom"]["secretKeyRef"])
            .Where(s => s.Exists)
            .ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.Equal(template["metadata"]["name"].Text, reference["name"].Text);
            Assert.Contains(reference["key"].Text!, keys.Keys);
        });
    }

    [Fact]
    public void Every_Deployment_and_StatefulSet_container_has_cpu_and_memory_requests_a_memory_limit_and_readiness_and_liveness_probes()
    {
        var workloads = Resources.Where(r => r["kind"].Text is "Deployment" or "StatefulSet").ToList();
        Assert.Equal(7, workloads.Count);
        Assert.All(workloads.SelectMany(Containers), container =>
        {
            foreach (var request in new[] { "cpu", "memory" })
                Assert.True(container["resources"]["requests"][request].Exists, $"{container.Path} requests no {request}.");
            Assert.True(container["resources"]["limits"]["memory"].Exists, $"{container.Path} has no memory limit.");
            foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
                Assert.True(container[probe].Entries.Any(e => e.Key is "httpGet" or "exec" or "tcpSocket"), $"{container.Path} has no {probe}.");
        });
    }

    [Fact]
    public void Every_probe_names_a_port_its_container_declares_and_every_selector_matches_its_pod_labels()
    {
        foreach (var workload in Resources.Where(r => r["kind"].Text is "Deployment" or "StatefulSet"))
        {
            var labels = workload["spec"]["template"]["metadata"]["labels"].Entries.ToDictionary(e => e.Key, e => e.Value.Text);
            Assert.All(workload["spec"]["selector"]["matchLabels"].Entries, e => Assert.Equal(e.Value.Text, labels.GetValueOrDefault(e.Key)));
            foreach (var container in Containers(workload))
            {
                var ports = container["ports"].Items.SelectMany(p => new[] { p["name"].Text, p["containerPort"].Text }).OfType<string>().ToHashSet();
                foreach (var probe in new[] { "readinessProbe", "livenessProbe" }.Select(p => container[p]["httpGet"]).Where(p => p.Exists))
                    Assert.True(ports.Contains(probe["port"].Text!), $"{probe.Path} names port {probe["port"].Text}, which {container.Path} does not declare.");
            }
        }
    }

    [Fact]
    public void A_Deployment_with_a_ReadWriteOnce_volume_runs_one_replica_and_stops_the_old_pod_before_starting_the_new_one()
    {
        var readWriteOnce = Resources.Where(r => r["kind"].Text == "PersistentVolumeClaim" && r["spec"]["accessModes"].Items.Any(m => m.Text == "ReadWriteOnce"))
            .Select(r => r["metadata"]["name"].Text)
            .ToHashSet();
        var mounting = Resources.Where(r => r["kind"].Text == "Deployment"
                                            && r["spec"]["template"]["spec"]["volumes"].Items.Any(v => readWriteOnce.Contains(v["persistentVolumeClaim"]["claimName"].Text)))
            .ToList();

        Assert.Contains(mounting, d => d["metadata"]["name"].Text == "notification");
        Assert.All(mounting, deployment =>
        {
            Assert.Equal("1", deployment["spec"]["replicas"].Text);
            Assert.Equal("Recreate", deployment["spec"]["strategy"]["type"].Text);
        });
    }

    [Fact]
    public void MongoDB_runs_as_a_replica_set_that_initiates_itself_and_the_services_write_to_it_with_journaled_majority()
    {
        var url = Resource("ConfigMap", "dealrisk-config")["data"]["DEALRISK_MONGODB_URL"].Text!;
        var settings = DealRisk.Storage.DurableMongoSettings.From(url, "the-password-from-the-secret");
        var mongodb = Resource("StatefulSet", "mongodb");
        var container = Assert.Single(Containers(mongodb));
        var replicaSet = container["args"].Items.Select(a => a.Text).SkipWhile(a => a != "--replSet").Skip(1).FirstOrDefault();

        Assert.Equal(settings.ReplicaSetName, replicaSet);
        Assert.Equal(MongoDB.Driver.WriteConcern.WMajority.With(journal: true), settings.WriteConcern);
        Assert.True(settings.RetryWrites);
        var member = $"mongodb-0.{mongodb["spec"]["serviceName"].Text}:27017";
        Assert.Equal(member, Assert.Single(settings.Servers).ToString());
        var initiate = string.Join(' ', container["readinessProbe"]["exec"]["command"].Items.Select(i => i.Text));
        Assert.Contains("rs.initiate", initiate);
        Assert.Contains($"_id: '{replicaSet}'", initiate);
        Assert.Contains($"host: '{member}'", initiate);
        Assert.Equal("true", Resource("Service", "mongodb")["spec"]["publishNotReadyAddresses"].Text?.ToLowerInvariant());
    }

    [Fact]
    public void MongoDB_requires_authentication_with_a_key_file_from_the_secret_and_every_service_logs_in_with_a_password_from_it()
    {
        var mongodb = Resource("StatefulSet", "mongodb");
        var pod = mongodb["spec"]["template"]["spec"];
        var container = Assert.Single(Containers(mongodb));
        var keyFile = container["args"].Items.Select(a => a.Text).SkipWhile(a => a != "--keyFile").Skip(1).FirstOrDefault();
        Assert.False(string.IsNullOrEmpty(keyFile), "mongodb must start with --keyFile: a replica set with authentication needs one.");
        var keyMount = Assert.Single(container["volumeMounts"].Items, m => keyFile!.StartsWith(m["mountPath"].Text + "/", StringComparison.Ordinal));
        Assert.True(pod["volumes"].Items.Single(v => v["name"].Text == keyMount["name"].Text)["emptyDir"].Exists, "The key file must be a copy mongod's user owns, not the Secret itself.");
        var copy = Assert.Single(pod["initContainers"].Items);
        var copyCommand = string.Join(' ', copy["command"].Items.Select(i => i.Text));
        Assert.Contains("chown 999:999", copyCommand);
        Assert.Contains("chmod 400", copyCommand);
        Assert.Contains(copy["volumeMounts"].Items, m => m["name"].Text == keyMount["name"].Text);
        var secretVolume = pod["volumes"].Items.Single(v => v["secret"].Exists);
        Assert.Equal("mongodb-keyfile", Assert.Single(secretVolume["secret"]["items"].Items)["key"].Text);

        var environment = container["env"].Items.ToDictionary(e => e["name"].Text!, e => e["valueFrom"]["secretKeyRef"]["key"].Text ?? e["value"].Text);
        Assert.Equal("mongodb-root-password", environment["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.Equal("mongodb-password", environment["DEALRISK_MONGODB_PASSWORD"]);
        var creates = Resource("ConfigMap", "mongodb-init")["data"]["create-app-user.js"].Text!;
        Assert.Contains("process.env.DEALRISK_MONGODB_PASSWORD", creates);
        Assert.Contains(container["volumeMounts"].Items, m => m["mountPath"].Text == "/docker-entrypoint-initdb.d");
        Assert.Contains("auth('root', process.env.MONGO_INITDB_ROOT_PASSWORD)", string.Join(' ', container["readinessProbe"]["exec"]["command"].Items.Select(i => i.Text)));

        var url = MongoDB.Driver.MongoUrl.Create(Resource("ConfigMap", "dealrisk-config")["data"]["DEALRISK_MONGODB_URL"].Text!);
        Assert.Contains($"user: '{url.Username}'", creates);
        Assert.Null(url.Password);
        Assert.Equal("admin", url.AuthenticationSource);
        foreach (var (name, _) in DockerComposeTests.BuiltServices().Values)
        {
            var service = Assert.Single(Resource("Deployment", name)["spec"]["template"]["spec"]["containers"].Items);
            var password = Assert.Single(service["env"].Items, e => e["name"].Text == "Storage__MongoDbPassword");
            Assert.Equal(("dealrisk-secrets", "mongodb-password"), (password["valueFrom"]["secretKeyRef"]["name"].Text, password["valueFrom"]["secretKeyRef"]["key"].Text));
        }
    }

    [Fact]
    public void The_services_send_traces_to_Jaeger_and_no_metrics_or_logs_since_Jaeger_takes_neither()
    {
        foreach (var (name, _) in DockerComposeTests.BuiltServices().Values)
        {
            var environment = Environment(name);
            Assert.StartsWith("http://jaeger:", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.False(DealRisk.ServiceDefaults.TelemetryExtensions.ExportsOtlpMetrics(Configuration(environment)), $"{name} would send OTLP metrics to Jaeger.");
            Assert.False(DealRisk.ServiceDefaults.TelemetryExtensions.ExportsOtlpLogs(Configuration(environment)), $"{name} would send OTLP logs to Jaeger.");
        }
    }

    internal static IConfiguration Configuration(IReadOnlyDictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(environment).Build();

    [Fact]
    public void Network_policies_deny_by_default_and_open_only_the_HTTP_entry_points_and_the_infrastructure_to_the_services()
    {
        var policies = Resources.Where(r => r["kind"].Text == "NetworkPolicy").ToList();
        var services = DockerComposeTests.BuiltServices().Values.Select(s => s.Name).Order().ToList();

        var denyAll = Assert.Single(policies, p => !p["spec"]["podSelector"]["matchLabels"].Exists && !p["spec"]["podSelector"]["matchExpressions"].Exists);
        Assert.Contains("Ingress", denyAll["spec"]["policyTypes"].Items.Select(t => t.Text));
        Assert.False(denyAll["spec"]["ingress"].Exists);

        foreach (var (app, port) in new[] { ("rabbitmq", "5672"), ("mongodb", "27017"), ("jaeger", "4317") })
        {
            var policy = Assert.Single(policies, p => p["spec"]["podSelector"]["matchLabels"]["app"].Text == app);
            var rule = Assert.Single(policy["spec"]["ingress"].Items);
            var from = Assert.Single(rule["from"].Items)["podSelector"]["matchExpressions"].Items.Single();
            Assert.Equal(("app", "In"), (from["key"].Text, from["operator"].Text));
            Assert.Equal(services, from["values"].Items.Select(v => v.Text).Order());
            Assert.Contains(port, rule["ports"].Items.Select(p => p["port"].Text));
        }

        var open = policies.Where(p => p["spec"]["ingress"].Items.Any(rule => !rule["from"].Exists)).ToList();
        var entry = Assert.Single(open)["spec"]["podSelector"]["matchExpressions"].Items.Single();
        Assert.Equal(["ingestion", "notification"], entry["values"].Items.Select(v => v.Text).Order());
    }

    /// <summary>What a Deployment's container sees: the ConfigMaps it takes whole, then its own env entries.</summary>
    private static Dictionary<string, string?> Environment(string deployment)
    {
        var container = Assert.Single(Resource("Deployment", deployment)["spec"]["template"]["spec"]["containers"].Items);
        var environment = new Dictionary<string, string?>();
        foreach (var source in container["envFrom"].Items)
        {
            foreach (var (key, value) in Resource("ConfigMap", source["configMapRef"]["name"].Text!)["data"].Entries)
                environment[key] = value.Text;
        }
        foreach (var variable in container["env"].Items)
        {
            var configMapKey = variable["valueFrom"]["configMapKeyRef"];
            environment[variable["name"].Text!] = configMapKey.Exists
                ? Resource("ConfigMap", configMapKey["name"].Text!)["data"][configMapKey["key"].Text!].Text
                : variable["value"].Text;
        }
        return environment;
    }

    private static IEnumerable<Yaml> Containers(Yaml resource) => resource["spec"]["template"]["spec"]["containers"].Items;

    /// <summary>The image without its tag: compose tags with ${DEALRISK_TAG:-latest}, the manifests with a fixed tag.</summary>
    private static string? ImageRepository(string? image) => image?.Split(':')[0];
}

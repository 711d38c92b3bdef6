namespace DealRisk.Deployment.Tests;

public sealed class DockerComposeTests
{
    private static readonly string[] Infrastructure = ["rabbitmq", "mongodb", "jaeger"];
    private static readonly Yaml Compose = Yaml.Load(Repository.PathOf("docker-compose.yml"));

    /// <summary>Compose services built from one of the repository's Dockerfiles, by the service directory they build.</summary>
    internal static IReadOnlyDictionary<string, (string Name, Yaml Service)> BuiltServices() =>
        Compose["services"].Entries
            .Where(e => e.Value["build"].Exists)
            .ToDictionary(
                e => Path.GetDirectoryName(e.Value["build"]["dockerfile"].Text ?? "")!.Replace('\\', '/'),
                e => (e.Key, e.Value));

    internal static Yaml Service(string name) => Compose["services"][name];

    [Fact]
    public void Every_web_service_with_a_Dockerfile_is_built_in_docker_compose_from_that_Dockerfile_with_the_repository_as_context()
    {
        var deployable = Repository.DeployableServices();
        Assert.Superset(new HashSet<string>(["Ingestion", "Features", "Scoring", "Notification"]), new HashSet<string>(deployable));

        var built = BuiltServices();
        foreach (var service in deployable)
        {
            Assert.True(built.ContainsKey($"services/{service}"), $"docker-compose.yml builds no service from services/{service}/Dockerfile.");
        }
        foreach (var (directory, (name, service)) in built)
        {
            Assert.True(File.Exists(Repository.PathOf(service["build"]["dockerfile"].Text!)), $"{name}: {service["build"]["dockerfile"]} does not exist.");
            Assert.Equal(".", service["build"]["context"].Text);
            Assert.Equal(directory.Split('/')[^1].ToLowerInvariant(), name);
        }
    }

    [Fact]
    public void Every_Dockerfile_copies_the_projects_its_service_references_and_runs_the_dll_that_service_builds()
    {
        var tag = ":" + Repository.TargetFramework().Replace("net", "", StringComparison.Ordinal);
        foreach (var service in Repository.DeployableServices())
        {
            var directory = Repository.PathOf($"services/{service}");
            var project = Repository.ProjectFile(directory);
            var dockerfile = Dockerfile.Read(Path.Combine(directory, "Dockerfile"));
            var from = dockerfile.All("FROM").ToList();

            Assert.StartsWith("mcr.microsoft.com/dotnet/sdk" + tag, from[0]);
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet" + tag, from[^1]);
            var user = dockerfile.FinalStage.LastOrDefault(i => i.Instruction == "USER").Arguments;
            Assert.False(string.IsNullOrEmpty(user) || user is "root" or "0", $"{service}: the image must run as a non-root USER.");
            Assert.Contains(dockerfile.FinalStage, i => i.Instruction == "ENV" && i.Arguments.Replace(' ', '=') == "ASPNETCORE_URLS=http://+:8080");
            Assert.Contains($"{Repository.AssemblyName(project)}.dll", dockerfile.Entrypoint);
            Assert.Contains(dockerfile.All("RUN"), run => run.StartsWith("dotnet publish " + Repository.Relative(project), StringComparison.Ordinal));

            var sources = dockerfile.ContextSources.Select(s => s.TrimEnd('/')).ToHashSet();
            foreach (var source in sources)
                Assert.True(Path.Exists(Repository.PathOf(source)), $"{service}/Dockerfile copies {source}, which does not exist.");
            foreach (var build in new[] { "Directory.Build.props", "Directory.Packages.props" })
                Assert.True(sources.Contains(build), $"{service}/Dockerfile does not copy {build}.");
            foreach (var referenced in Repository.ProjectClosure(project))
            {
                var folder = Repository.Relative(Path.GetDirectoryName(referenced)!);
                Assert.True(sources.Contains(folder), $"{service}/Dockerfile does not copy {folder}/, which {Path.GetFileName(project)} needs.");
                Assert.True(sources.Contains(Repository.Relative(referenced)),
                    $"{service}/Dockerfile does not copy {Repository.Relative(referenced)} before the restore.");
            }
        }
    }

    [Fact]
    public void Every_service_is_healthy_in_its_image_and_in_compose_only_once_its_readiness_endpoint_answers()
    {
        foreach (var (directory, (name, service)) in BuiltServices())
        {
            var dll = $"{Repository.AssemblyName(Repository.ProjectFile(Repository.PathOf(directory)))}.dll";
            string[] probe = ["dotnet", dll, "probe", "http://localhost:8080/health/ready"];
            var healthcheck = Dockerfile.Read(Repository.PathOf(service["build"]["dockerfile"].Text!)).FinalStage.SingleOrDefault(i => i.Instruction == "HEALTHCHECK").Arguments;
            Assert.True(healthcheck is not null && healthcheck.EndsWith("CMD " + System.Text.Json.JsonSerializer.Serialize(probe).Replace(",", ", "), StringComparison.Ordinal),
                $"{directory}/Dockerfile: HEALTHCHECK should run {string.Join(' ', probe)}, not '{healthcheck}'.");
            Assert.Equal(["CMD", .. probe], service["healthcheck"]["test"].Items.Select(item => item.Text));
        }
    }

    [Fact]
    public void Every_setting_docker_compose_gives_a_DealRisk_service_binds_to_a_real_option_with_a_valid_value()
    {
        var problems = BuiltServices().Values
            .SelectMany(s => s.Service["environment"].AsEnvironment().Select(e => ConfigurationKeys.Problem(e.Key, e.Value) is { } p ? $"{s.Name}: {p}" : null))
            .OfType<string>()
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.All(BuiltServices().Values, s => Assert.NotEmpty(s.Service["environment"].AsEnvironment()));
    }

    [Fact]
    public void RabbitMQ_MongoDB_and_Jaeger_are_there_with_health_checks_and_Jaeger_accepts_OTLP()
    {
        foreach (var name in Infrastructure)
            Assert.True(Service(name).Exists, $"docker-compose.yml has no {name} service.");

        Assert.StartsWith("rabbitmq:3-management", Service("rabbitmq")["image"].Text);
        Assert.StartsWith("mongo:7", Service("mongodb")["image"].Text);
        foreach (var name in new[] { "rabbitmq", "mongodb" })
            Assert.NotEmpty(Service(name)["healthcheck"]["test"].Items);

        var jaeger = Service("jaeger");
        Assert.StartsWith("jaegertracing/all-in-one", jaeger["image"].Text);
        Assert.Equal("true", jaeger["environment"].AsEnvironment()["COLLECTOR_OTLP_ENABLED"]);
    }

    [Fact]
    public void Only_what_users_open_is_published_to_the_host_webhooks_the_dashboard_and_the_metrics_views()
    {
        var published = Compose["services"].Entries.Where(e => e.Value["ports"].Exists).ToDictionary(e => e.Key, e => Ports(e.Key));

        Assert.Equal(["grafana", "ingestion", "notification", "prometheus"], published.Keys.Order());
        Assert.Equal(["3000:3000"], published["grafana"]);
        Assert.Equal(["9090:9090"], published["prometheus"]);
        Assert.Equal(["8081:8080"], published["ingestion"]);
        Assert.Equal(["8084:8080"], published["notification"]);
    }

    [Fact]
    public void The_broker_password_has_no_default_and_must_come_from_the_environment()
    {
        Assert.StartsWith("${RABBITMQ_PASSWORD:?", Service("rabbitmq")["environment"].AsEnvironment()["RABBITMQ_DEFAULT_PASS"]);
        Assert.All(BuiltServices().Values, s => Assert.StartsWith("${RABBITMQ_PASSWORD:?", s.Service["environment"].AsEnvironment()["Bus__RabbitMq__Password"]));
        Assert.DoesNotContain("RABBITMQ_PASSWORD:-", File.ReadAllText(Repository.PathOf("docker-compose.yml")));
    }

    [Fact]
    public void The_services_wait_for_healthy_infrastructure_and_reach_it_by_its_compose_names()
    {
        var rabbitmq = Service("rabbitmq")["environment"].AsEnvironment();
        foreach (var (name, service) in BuiltServices().Values)
        {
            foreach (var dependency in new[] { "rabbitmq", "mongodb" })
                Assert.Equal("service_healthy", service["depends_on"][dependency]["condition"].Text);

            var environment = service["environment"].AsEnvironment();
            string Setting(string key) => environment.GetValueOrDefault(key) ?? "";
            Assert.Equal("RabbitMq", Setting("Bus__Transport"));
            Assert.Equal("MongoDb", Setting("Storage__Provider"));
            Assert.Equal(name, Setting("OTEL_SERVICE_NAME"));
            Assert.True(Service(Setting("Bus__RabbitMq__Host")).Exists, $"{name}: Bus__RabbitMq__Host names no compose service.");
            Assert.Equal("mongodb", MongoDB.Driver.MongoUrl.Create(Setting("DEALRISK_MONGODB_URL")).Server.Host);
            Assert.StartsWith("http://otel-collector:4317", Setting("OTEL_EXPORTER_OTLP_ENDPOINT"));
            // guest may only log in from localhost: the services need the user the broker container creates.
            Assert.Equal(rabbitmq["RABBITMQ_DEFAULT_USER"], Setting("Bus__RabbitMq__Username"));
            Assert.Equal(rabbitmq["RABBITMQ_DEFAULT_PASS"], Setting("Bus__RabbitMq__Password"));
        }

        Assert.Equal("8081:8080", Assert.Single(Ports("ingestion")));
        Assert.StartsWith("${DEALRISK_API_KEY:?", Service("ingestion")["environment"].AsEnvironment()["Ingestion__ApiKey"]);
        var notification = Service("notification");
        var reports = notification["environment"].AsEnvironment()["Reports__OutputDirectory"];
        Assert.Contains($"results:{reports}", notification["volumes"].Items.Select(v => v.Text));
        Assert.True(Compose["volumes"].Entries.Any(v => v.Key == "results"), "docker-compose.yml declares no results volume.");
    }

    [Fact]
    public void RabbitMQ_has_a_fixed_hostname_so_a_recreated_container_is_the_same_node_with_its_durable_queues()
    {
        var rabbitmq = Service("rabbitmq");

        Assert.False(string.IsNullOrWhiteSpace(rabbitmq["hostname"].Text), "rabbitmq needs a fixed hostname: its node name and data directory follow it.");
        Assert.Contains(rabbitmq["volumes"].Items, v => v.Text?.EndsWith(":/var/lib/rabbitmq", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void MongoDB_runs_as_a_replica_set_that_initiates_itself_and_the_services_write_to_it_with_journaled_majority()
    {
        var mongodb = Service("mongodb");
        var command = mongodb["command"].Items.Select(i => i.Text).ToList();
        var replicaSet = command.SkipWhile(a => a != "--replSet").Skip(1).FirstOrDefault();
        var healthcheck = string.Join(' ', mongodb["healthcheck"]["test"].Items.Select(i => i.Text));

        Assert.False(string.IsNullOrEmpty(replicaSet), "mongodb must start with --replSet <name>.");
        Assert.Contains("rs.initiate", healthcheck);
        Assert.Contains($"host: '{mongodb["hostname"].Text}:27017'", healthcheck);
        foreach (var (name, service) in BuiltServices().Values)
        {
            var environment = service["environment"].AsEnvironment();
            var settings = DealRisk.Storage.DurableMongoSettings.From(environment["DEALRISK_MONGODB_URL"]!, environment["Storage__MongoDbPassword"]);
            Assert.Equal(replicaSet, settings.ReplicaSetName);
            Assert.Equal(MongoDB.Driver.WriteConcern.WMajority.With(journal: true), settings.WriteConcern);
            Assert.True(settings.RetryWrites, $"{name} must retry writes.");
        }
    }

    [Fact]
    public void MongoDB_requires_authentication_with_a_generated_key_file_and_the_services_log_in_with_a_password_from_the_environment()
    {
        var mongodb = Service("mongodb");
        var command = mongodb["command"].Items.Select(i => i.Text).ToList();
        var keyFile = command.SkipWhile(a => a != "--keyFile").Skip(1).FirstOrDefault();
        Assert.False(string.IsNullOrEmpty(keyFile), "mongodb must start with --keyFile: a replica set with authentication needs one.");
        var mounts = mongodb["volumes"].Items.Select(v => v.Text!.Split(':')).ToList();
        var keyVolume = Assert.Single(mounts, m => keyFile!.StartsWith(m[1] + "/", StringComparison.Ordinal))[0];
        var generator = Assert.Single(Compose["services"].Entries, e => e.Key != "mongodb" && e.Value["volumes"].Items.Any(v => v.Text!.StartsWith(keyVolume + ":", StringComparison.Ordinal)));
        Assert.Equal("service_completed_successfully", mongodb["depends_on"][generator.Key]["condition"].Text);
        var generate = string.Join(' ', generator.Value["entrypoint"].Items.Select(i => i.Text));
        Assert.Contains("chmod 400", generate);
        Assert.Contains("chown 999:999", generate);

        var environment = mongodb["environment"].AsEnvironment();
        Assert.StartsWith("${MONGODB_ROOT_PASSWORD:?", environment["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.StartsWith("${MONGODB_PASSWORD:?", environment["DEALRISK_MONGODB_PASSWORD"]);
        var initScript = Assert.Single(mounts, m => m[1].StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal))[0];
        var creates = File.ReadAllText(Repository.PathOf(initScript.TrimStart('.', '/')));
        Assert.Contains("process.env.DEALRISK_MONGODB_PASSWORD", creates);
        var healthcheck = string.Join(' ', mongodb["healthcheck"]["test"].Items.Select(i => i.Text));
        Assert.Contains("auth('root', process.env.MONGO_INITDB_ROOT_PASSWORD)", healthcheck);

        foreach (var (name, service) in BuiltServices().Values)
        {
            var settings = service["environment"].AsEnvironment();
            var url = MongoDB.Driver.MongoUrl.Create(settings["DEALRISK_MONGODB_URL"]!);
            Assert.True(url.Username is not null && creates.Contains($"user: '{url.Username}'", StringComparison.Ordinal), $"{name} logs in as a user the init script does not create.");
            Assert.Null(url.Password);
            Assert.Equal("admin", url.AuthenticationSource);
            Assert.Equal(environment["DEALRISK_MONGODB_PASSWORD"], settings["Storage__MongoDbPassword"]);
        }
        Assert.DoesNotContain("MONGODB_PASSWORD:-", File.ReadAllText(Repository.PathOf("docker-compose.yml")));
    }

    [Fact]
    public void Every_path_a_services_image_declares_writable_is_a_named_volume_in_compose()
    {
        var declared = Compose["volumes"].Entries.Select(v => v.Key).ToHashSet();
        foreach (var (directory, (name, service)) in BuiltServices())
        {
            var volumes = Dockerfile.Read(Repository.PathOf($"{directory}/Dockerfile")).Volumes;
            Assert.Contains("/app/.data", volumes);
            var mounts = service["volumes"].Items.Select(v => v.Text!.Split(':')).ToDictionary(parts => parts[1], parts => parts[0]);
            foreach (var volume in volumes)
            {
                Assert.True(mounts.TryGetValue(volume, out var source), $"{name} mounts no volume at {volume}, which its image declares writable.");
                Assert.Contains(source, declared);
            }
        }
    }

    [Fact]
    public void The_scoring_image_declares_its_model_directory_writable()
    {
        var modelDirectory = new DealRisk.Scoring.ScoringOptions().ModelDirectory;
        var volumes = Dockerfile.Read(Repository.PathOf("services/Scoring/Dockerfile")).Volumes;

        Assert.Contains(volumes, volume => Path.GetFullPath(modelDirectory, "/app").StartsWith(volume + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_image_whose_service_draws_charts_installs_a_font()
    {
        // ScottPlot comes directly or through the shared chart project.
        var drawing = Repository.DeployableServices()
            .Where(service => System.Xml.Linq.XDocument.Load(Repository.ProjectFile(Repository.PathOf($"services/{service}")))
                .Descendants().Any(r => (r.Name.LocalName == "PackageReference" && r.Attribute("Include")?.Value == "ScottPlot")
                                        || (r.Name.LocalName == "ProjectReference" && r.Attribute("Include")?.Value.EndsWith("DealRisk.Charts.csproj", StringComparison.Ordinal) == true)))
            .ToList();

        Assert.Equal(["Notification", "Scoring"], drawing.Order());
        foreach (var service in drawing)
        {
            var dockerfile = Dockerfile.Read(Repository.PathOf($"services/{service}/Dockerfile"));
            Assert.Contains(dockerfile.FinalStage, i => i.Instruction == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal)
                                                        && i.Arguments.Split(' ').Any(word => word.StartsWith("fonts-", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void The_services_send_traces_metrics_and_logs_to_the_collector_which_passes_the_traces_to_Jaeger()
    {
        foreach (var (name, service) in BuiltServices().Values)
        {
            var environment = service["environment"].AsEnvironment();
            Assert.StartsWith("http://otel-collector:", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.True(DealRisk.ServiceDefaults.TelemetryExtensions.ExportsOtlpMetrics(KubernetesManifestTests.Configuration(environment)),
                $"{name} sends no OTLP metrics to the collector.");
            Assert.True(DealRisk.ServiceDefaults.TelemetryExtensions.ExportsOtlpLogs(KubernetesManifestTests.Configuration(environment)),
                $"{name} sends no OTLP logs to the collector.");
        }
        var collector = File.ReadAllText(Repository.PathOf("deploy/observability/otel-collector.yaml"));
        Assert.Contains("jaeger:4317", collector);
    }

    private static List<string?> Ports(string service) => Service(service)["ports"].Items.Select(p => p.Text).ToList();
}

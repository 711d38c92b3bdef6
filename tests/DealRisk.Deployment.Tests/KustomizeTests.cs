namespace DealRisk.Deployment.Tests;

/// <summary>The manifests as kubectl renders them: what <c>kubectl apply -k</c> would send to a cluster.</summary>
public sealed class KustomizeTests
{
    private const string InstalledBy = "deploy/scripts/ensure-test-tools.sh";
    private static readonly string[] Services = ["ingestion", "features", "scoring", "notification"];

    [Fact]
    public void The_manifests_render_with_kubectl_and_every_service_image_is_named_by_the_kustomization()
    {
        var rendered = Render(Repository.PathOf("deploy/k8s"));
        var overrides = Yaml.Load(Repository.PathOf("deploy/k8s/kustomization.yaml"))["images"].Items
            .ToDictionary(image => image["name"].Text!, image => $"{image["newName"].Text ?? image["name"].Text}:{image["newTag"].Text}");

        Assert.Equal(Services.Select(s => "dealrisk/" + s).Order(), overrides.Keys.Order());
        foreach (var service in Services)
            Assert.Equal(overrides["dealrisk/" + service], Image(rendered, service));
        Assert.Equal(
            System.IO.Directory.GetFiles(Repository.PathOf("deploy/k8s"), "*.yaml")
                .Where(f => Path.GetFileName(f) is not "kustomization.yaml" and not "secret.template.yaml")
                .Sum(f => Yaml.LoadAll(f).Count),
            rendered.Count);
    }

    [Fact]
    public void The_release_script_writes_an_overlay_that_deploys_the_images_it_pushed_to_the_named_registry()
    {
        var overlay = Path.Combine(Path.GetTempPath(), "dealrisk-release-" + Guid.NewGuid().ToString("N"));
        try
        {
            var script = ExternalCommand.Run("bash",
                ["deploy/scripts/release-images.sh", "--manifests-only", "--out", overlay, "registry.example.com/acme", "1.4.0"]);
            Assert.True(script.ExitCode == 0, script.Describe());

            var rendered = Render(overlay);

            foreach (var service in Services)
                Assert.Equal($"registry.example.com/acme/dealrisk-{service}:1.4.0", Image(rendered, service));
            Assert.Equal(Render(Repository.PathOf("deploy/k8s")).Count, rendered.Count);
        }
        finally
        {
            if (System.IO.Directory.Exists(overlay))
                System.IO.Directory.Delete(overlay, recursive: true);
        }
    }

    private static IReadOnlyList<Yaml> Render(string directory)
    {
        var kubectl = ExternalCommand.Require("kubectl", InstalledBy);
        var result = ExternalCommand.Run(kubectl, ["kustomize", directory]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {directory} failed: {result.Describe()}");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, result.Output);
            return Yaml.LoadAll(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? Image(IReadOnlyList<Yaml> rendered, string deployment) =>
        Assert.Single(Assert.Single(rendered, r => r["kind"].Text == "Deployment" && r["metadata"]["name"].Text == deployment)
            ["spec"]["template"]["spec"]["containers"].Items)["image"].Text;
}

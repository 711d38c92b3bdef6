namespace DealRisk.Deployment.Tests;

public sealed class ServiceLayeringTests
{
    [Fact]
    public void No_deployable_service_ships_the_synthetic_data_generator_or_another_service()
    {
        var services = Repository.DeployableServices();
        Assert.Contains("Ingestion", services);

        Assert.All(services, service =>
        {
            var closure = Repository.ProjectClosure(Repository.ProjectFile(Repository.PathOf($"services/{service}")))
                .Select(project => Path.GetFileNameWithoutExtension(project))
                .ToList();
            Assert.DoesNotContain("DealRisk.SyntheticCrm", closure);
            Assert.Empty(services.Where(other => other != service).Select(other => $"DealRisk.{other}").Intersect(closure));
        });
    }
}

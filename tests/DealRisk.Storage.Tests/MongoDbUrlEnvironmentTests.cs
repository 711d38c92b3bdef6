using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage.Tests;

[CollectionDefinition(nameof(MongoDbUrlEnvironmentTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

/// <summary>These tests change a process-wide environment variable, so they run alone, after the parallel tests.</summary>
[Collection(nameof(MongoDbUrlEnvironmentTests))]
public sealed class MongoDbUrlEnvironmentTests : IDisposable
{
    private readonly string? _original = Environment.GetEnvironmentVariable(StorageOptions.MongoDbUrlVariable);

    [Fact]
    public async Task Start_validation_reports_the_MongoDb_provider_without_any_url()
    {
        Environment.SetEnvironmentVariable(StorageOptions.MongoDbUrlVariable, null);
        await using var provider = StorageRegistrationTests.BuildProvider(new() { ["Storage:Provider"] = "MongoDb" }, "ingestion");

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Storage:MongoDbUrl or the DEALRISK_MONGODB_URL environment variable", error.Message);
    }

    [Fact]
    public async Task The_MongoDb_url_falls_back_to_the_environment_variable()
    {
        Environment.SetEnvironmentVariable(StorageOptions.MongoDbUrlVariable, "mongodb://from-environment:27017");
        await using var provider = StorageRegistrationTests.BuildProvider(new() { ["Storage:Provider"] = "MongoDb" }, "ingestion");

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal("mongodb://from-environment:27017", provider.GetRequiredService<IOptions<StorageOptions>>().Value.MongoDbUrl);
    }

    [Fact]
    public async Task A_configured_MongoDb_url_wins_over_the_environment_variable()
    {
        Environment.SetEnvironmentVariable(StorageOptions.MongoDbUrlVariable, "mongodb://from-environment:27017");
        await using var provider = StorageRegistrationTests.BuildProvider(
            new() { ["Storage:Provider"] = "MongoDb", ["Storage:MongoDbUrl"] = "mongodb://configured:27017" }, "ingestion");

        Assert.Equal("mongodb://configured:27017", provider.GetRequiredService<IOptions<StorageOptions>>().Value.MongoDbUrl);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(StorageOptions.MongoDbUrlVariable, _original);
}

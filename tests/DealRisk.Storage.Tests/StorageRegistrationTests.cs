using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage.Tests;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "dealrisk-registration-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Two_service_names_get_two_distinct_stores_in_two_files()
    {
        await using var provider = BuildProvider(new() { ["Storage:DataDirectory"] = _dataDirectory }, "ingestion", "scoring");

        var ingestion = provider.GetRequiredKeyedService<IDocumentStore>("ingestion");
        var scoring = provider.GetRequiredKeyedService<IDocumentStore>("scoring");

        Assert.NotSame(ingestion, scoring);
        Assert.Same(ingestion, provider.GetRequiredKeyedService<IDocumentStore>("ingestion"));
        Assert.Equal(Path.Combine(_dataDirectory, "ingestion.db"), Assert.IsType<SqliteDocumentStore>(ingestion).DatabasePath);
        Assert.Equal(Path.Combine(_dataDirectory, "scoring.db"), Assert.IsType<SqliteDocumentStore>(scoring).DatabasePath);

        await ingestion.GetCollection<TestDeal>("deals").UpsertAsync("deal-1", TestDeal.Sample());
        Assert.Null(await scoring.GetCollection<TestDeal>("deals").GetAsync("deal-1"));
    }

    [Fact]
    public async Task The_MongoDb_provider_gives_each_service_a_database_of_its_own()
    {
        await using var provider = BuildProvider(
            new() { ["Storage:Provider"] = "MongoDb", ["Storage:MongoDbUrl"] = "mongodb://localhost:27017" }, "ingestion");

        var store = provider.GetRequiredKeyedService<IDocumentStore>("ingestion");

        Assert.Equal("dealrisk-ingestion", Assert.IsType<MongoDocumentStore>(store).DatabaseName);
    }

    [Fact]
    public async Task A_database_prefix_gives_a_test_run_or_a_second_deployment_databases_of_its_own()
    {
        await using var provider = BuildProvider(new()
        {
            ["Storage:Provider"] = "MongoDb", ["Storage:MongoDbUrl"] = "mongodb://localhost:27017", ["Storage:DatabasePrefix"] = "dealrisk-e2e-1a2b",
        }, "ingestion");

        var store = provider.GetRequiredKeyedService<IDocumentStore>("ingestion");

        Assert.Equal("dealrisk-e2e-1a2b-ingestion", Assert.IsType<MongoDocumentStore>(store).DatabaseName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("deal.risk")]
    [InlineData("deal risk")]
    public void Validation_rejects_a_database_prefix_MongoDB_cannot_name_a_database_with(string prefix)
    {
        var result = new StorageOptionsValidator().Validate(null,
            new StorageOptions { Provider = StorageProvider.MongoDb, MongoDbUrl = "mongodb://localhost:27017", DatabasePrefix = prefix });

        Assert.True(result.Failed);
        Assert.Contains("Storage:DatabasePrefix", result.FailureMessage);
    }

    [Fact]
    public async Task Start_validation_rejects_a_MongoDb_url_that_is_not_one()
    {
        await using var provider = BuildProvider(
            new() { ["Storage:Provider"] = "MongoDb", ["Storage:MongoDbUrl"] = "http://not-mongo" }, "ingestion");

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Storage:MongoDbUrl", error.Message);
    }

    [Fact]
    public void Validation_rejects_a_MongoDb_password_when_the_url_names_no_user_to_use_it_for()
    {
        var result = new StorageOptionsValidator().Validate(null,
            new StorageOptions { Provider = StorageProvider.MongoDb, MongoDbUrl = "mongodb://mongodb:27017/?replicaSet=rs0", MongoDbPassword = "secret" });

        Assert.True(result.Failed);
        Assert.Contains("Storage:MongoDbPassword", result.FailureMessage);
        Assert.True(new StorageOptionsValidator().Validate(null,
            new StorageOptions { Provider = StorageProvider.MongoDb, MongoDbUrl = "mongodb://dealrisk@mongodb:27017/?authSource=admin", MongoDbPassword = "secret" }).Succeeded);
        var noPassword = new StorageOptionsValidator().Validate(null,
            new StorageOptions { Provider = StorageProvider.MongoDb, MongoDbUrl = "mongodb://dealrisk@mongodb:27017/?authSource=admin" });
        Assert.True(noPassword.Failed);
        Assert.Contains("Storage__MongoDbPassword", noPassword.FailureMessage);
    }

    [Fact]
    public void Validation_rejects_the_MongoDb_provider_without_a_url()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = StorageProvider.MongoDb });

        Assert.True(result.Failed);
        Assert.Contains("DEALRISK_MONGODB_URL", result.FailureMessage);
    }

    [Fact]
    public void Validation_accepts_the_defaults()
    {
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions()).Succeeded);
    }

    [Fact]
    public void Validation_rejects_an_embedded_data_directory_that_cannot_be_written_naming_the_setting_and_the_path()
    {
        Directory.CreateDirectory(_dataDirectory);
        var blocked = Path.Combine(_dataDirectory, "a-file");
        File.WriteAllText(blocked, "a file where the data directory's parent should be");

        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { DataDirectory = Path.Combine(blocked, "data") });

        Assert.True(result.Failed);
        Assert.Contains("Storage:DataDirectory", result.FailureMessage);
        Assert.Contains(Path.Combine(blocked, "data"), result.FailureMessage);
    }

    [Fact]
    public void A_service_name_that_cannot_name_a_file_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddDocumentStore("../escape"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
            Directory.Delete(_dataDirectory, recursive: true);
    }

    internal static ServiceProvider BuildProvider(Dictionary<string, string?> settings, params string[] serviceNames)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        foreach (var serviceName in serviceNames)
            services.AddDocumentStore(serviceName);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

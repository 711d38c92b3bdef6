using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace DealRisk.Storage.Tests;

/// <summary>
/// A throwaway database on the server named by DEALRISK_MONGODB_URL (a replica set: bulk writes use transactions),
/// or else in a single-node replica set in a container when a Docker engine answers. With neither, every MongoDB test fails: they must never pass or skip unnoticed.
/// </summary>
public sealed class MongoStoreFixture : IAsyncLifetime
{
    public const string Unavailable = "MongoDB contract tests need DEALRISK_MONGODB_URL or a Docker engine";

    private MongoDbContainer? _container;
    private MongoClient? _client;

    public string ConnectionString { get; private set; } = "";

    public string DatabaseName { get; } = "dealrisk-tests-" + Guid.NewGuid().ToString("N")[..16];

    public MongoDocumentStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = Environment.GetEnvironmentVariable(StorageOptions.MongoDbUrlVariable) is { Length: > 0 } url
            ? url
            : await StartContainerAsync();
        _client = new MongoClient(DurableMongoSettings.From(ConnectionString));
        Store = new MongoDocumentStore(_client.GetDatabase(DatabaseName));
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DropDatabaseAsync(DatabaseName);
            _client.Dispose();
        }
        if (_container is not null)
            await _container.DisposeAsync();
    }

    private async Task<string> StartContainerAsync()
    {
        try
        {
            _container = new MongoDbBuilder("mongo:7.0").WithReplicaSet().Build();
            await _container.StartAsync();
            return _container.GetConnectionString();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{Unavailable} ({e.GetType().Name}: {e.Message})", e);
        }
    }
}

using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>One client (and so one connection pool) for every service's store in the process.</summary>
internal sealed class SharedMongoClient : IDisposable
{
    private readonly Lazy<MongoClient> _client;

    public SharedMongoClient(IOptions<StorageOptions> options) =>
        _client = new Lazy<MongoClient>(() => new MongoClient(DurableMongoSettings.From(options.Value.MongoDbUrl!, options.Value.MongoDbPassword)));

    public IMongoClient Client => _client.Value;

    public void Dispose()
    {
        if (_client.IsValueCreated)
            _client.Value.Dispose();
    }
}

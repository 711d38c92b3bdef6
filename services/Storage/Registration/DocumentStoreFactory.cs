using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage;

internal sealed class DocumentStoreFactory
{
    private readonly StorageOptions _options;
    private readonly IServiceProvider _services;

    public DocumentStoreFactory(IOptions<StorageOptions> options, IServiceProvider services)
    {
        _options = options.Value;
        _services = services;
    }

    public IDocumentStore Create(string serviceName) => _options.Provider switch
    {
        StorageProvider.MongoDb => new MongoDocumentStore(
            _services.GetRequiredService<SharedMongoClient>().Client.GetDatabase(DatabaseName(serviceName, _options.DatabasePrefix))),
        _ => new SqliteDocumentStore(Path.Combine(Path.GetFullPath(_options.DataDirectory), serviceName + ".db")),
    };

    public static string DatabaseName(string serviceName, string prefix = "dealrisk") => $"{prefix}-{serviceName}";
}

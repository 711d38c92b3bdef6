using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DealRisk.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IDocumentStore"/> keyed by <paramref name="serviceName"/>, so one process
    /// can host several services, each with its own store: resolve it with [FromKeyedServices(serviceName)].
    /// Embedded: the file &lt;DataDirectory&gt;/&lt;serviceName&gt;.db. MongoDb: the database dealrisk-&lt;serviceName&gt;.
    /// </summary>
    public static IServiceCollection AddDocumentStore(this IServiceCollection services, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        EnsureValidServiceName(serviceName);

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<StorageOptions>, MongoDbUrlFromEnvironment>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<SharedMongoClient>();
        services.TryAddSingleton<DocumentStoreFactory>();
        services.AddKeyedSingleton<IDocumentStore>(serviceName,
            (provider, _) => provider.GetRequiredService<DocumentStoreFactory>().Create(serviceName));
        return services;
    }

    private static void EnsureValidServiceName(string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        if (!serviceName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException(
                $"Service name '{serviceName}' may contain only letters, digits, dashes and underscores; it names a file and a database.",
                nameof(serviceName));
    }
}

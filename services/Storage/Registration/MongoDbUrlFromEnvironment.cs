using Microsoft.Extensions.Options;

namespace DealRisk.Storage;

internal sealed class MongoDbUrlFromEnvironment : IPostConfigureOptions<StorageOptions>
{
    public void PostConfigure(string? name, StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.MongoDbUrl))
            options.MongoDbUrl = Environment.GetEnvironmentVariable(StorageOptions.MongoDbUrlVariable);
    }
}

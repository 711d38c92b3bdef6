using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DealRisk.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) => options.Provider switch
    {
        StorageProvider.Embedded when string.IsNullOrWhiteSpace(options.DataDirectory) =>
            ValidateOptionsResult.Fail("Storage:DataDirectory must name a directory when Storage:Provider is Embedded."),
        StorageProvider.Embedded when WritableDirectory.Problem("Storage:DataDirectory", options.DataDirectory) is { } problem =>
            ValidateOptionsResult.Fail(problem),
        StorageProvider.Embedded => ValidateOptionsResult.Success,
        StorageProvider.MongoDb when string.IsNullOrWhiteSpace(options.MongoDbUrl) =>
            ValidateOptionsResult.Fail(
                $"Storage:Provider is MongoDb but no MongoDB URL is set: configure Storage:MongoDbUrl or the {StorageOptions.MongoDbUrlVariable} environment variable."),
        StorageProvider.MongoDb when string.IsNullOrEmpty(options.DatabasePrefix) || options.DatabasePrefix.Length > 40
                                     || !options.DatabasePrefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') =>
            ValidateOptionsResult.Fail("Storage:DatabasePrefix must be 1 to 40 letters, digits or dashes: it starts every database name."),
        StorageProvider.MongoDb when !IsMongoUrl(options.MongoDbUrl!) =>
            ValidateOptionsResult.Fail("Storage:MongoDbUrl is not a valid MongoDB connection string (mongodb://host:port or mongodb+srv://…)."),
        StorageProvider.MongoDb when !string.IsNullOrEmpty(options.MongoDbPassword) && string.IsNullOrEmpty(MongoUrl.Create(options.MongoDbUrl!).Username) =>
            ValidateOptionsResult.Fail("Storage:MongoDbPassword is set but the MongoDB URL names no user: write it as mongodb://<user>@host/?authSource=admin."),
        StorageProvider.MongoDb when string.IsNullOrEmpty(options.MongoDbPassword) && !string.IsNullOrEmpty(MongoUrl.Create(options.MongoDbUrl!).Username)
                                     && MongoUrl.Create(options.MongoDbUrl!).Password is null =>
            ValidateOptionsResult.Fail("The MongoDB URL names a user but no password: set Storage__MongoDbPassword (from a secret)."),
        StorageProvider.MongoDb => ValidateOptionsResult.Success,
        _ => ValidateOptionsResult.Fail($"Storage:Provider '{options.Provider}' is unknown; use Embedded or MongoDb."),
    };

    private static bool IsMongoUrl(string url)
    {
        try
        {
            _ = MongoUrl.Create(url);
            return true;
        }
        catch (MongoConfigurationException)
        {
            return false;
        }
    }
}

namespace DealRisk.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string MongoDbUrlVariable = "DEALRISK_MONGODB_URL";

    public StorageProvider Provider { get; set; } = StorageProvider.Embedded;

    public string DataDirectory { get; set; } = ".data";

    /// <summary>MongoDB databases are named &lt;prefix&gt;-&lt;service&gt;: a test run or a second deployment on one server takes its own.</summary>
    public string DatabasePrefix { get; set; } = "dealrisk";

    /// <summary>Falls back to the DEALRISK_MONGODB_URL environment variable when not configured.</summary>
    public string? MongoDbUrl { get; set; }

    /// <summary>
    /// The password of the user <see cref="MongoDbUrl"/> names (<c>mongodb://dealrisk@host/?authSource=admin</c>), from a
    /// secret (<c>Storage__MongoDbPassword</c>), so the URL can stay in plain configuration.
    /// </summary>
    public string? MongoDbPassword { get; set; }
}

using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>
/// Client settings from the URL, made durable unless the URL says otherwise: claims, outbox rows and pending
/// publications must survive a failover once acknowledged, so writes wait for a journaled majority and are retried.
/// </summary>
public static class DurableMongoSettings
{
    /// <param name="password">The password of the user the URL names, given apart from the URL so it can come from a secret.</param>
    public static MongoClientSettings From(string url, string? password = null)
    {
        var mongoUrl = string.IsNullOrEmpty(password) ? MongoUrl.Create(url) : new MongoUrlBuilder(url) { Password = password }.ToMongoUrl();
        var settings = MongoClientSettings.FromUrl(mongoUrl);
        if (mongoUrl.W is null && mongoUrl.Journal is null)
            settings.WriteConcern = WriteConcern.WMajority.With(journal: true);
        settings.RetryWrites = mongoUrl.RetryWrites ?? true;
        settings.RetryReads = mongoUrl.RetryReads ?? true;
        return settings;
    }
}

using MongoDB.Driver;

namespace DealRisk.Storage;

/// <summary>
/// Client settings from the URL, made durable unless the URL says otherwise: claims, outbox rows and pending
/// publications must survive a failover once acknowledged, so writes wait for a journaled majority and are retried.
/// </summary>
public static class DurableMongoSettings
{
    public static MongoClientSettings From(string url)
    {
        var mongoUrl = MongoUrl.Create(url);
        var settings = MongoClientSettings.FromUrl(mongoUrl);
        if (mongoUrl.W is null && mongoUrl.Journal is null)
            settings.WriteConcern = WriteConcern.WMajority.With(journal: true);
        settings.RetryWrites = mongoUrl.RetryWrites ?? true;
        settings.RetryReads = mongoUrl.RetryReads ?? true;
        return settings;
    }
}

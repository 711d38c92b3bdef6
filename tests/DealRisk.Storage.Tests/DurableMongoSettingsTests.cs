using MongoDB.Driver;

namespace DealRisk.Storage.Tests;

public sealed class DurableMongoSettingsTests
{
    [Fact]
    public void A_url_that_names_no_write_concern_gets_journaled_majority_writes_and_retries()
    {
        var settings = DurableMongoSettings.From("mongodb://mongodb:27017");

        Assert.Equal(WriteConcern.WMajority.With(journal: true), settings.WriteConcern);
        Assert.True(settings.RetryWrites);
        Assert.True(settings.RetryReads);
    }

    [Fact]
    public void A_write_concern_or_retry_setting_in_the_url_is_kept()
    {
        var settings = DurableMongoSettings.From("mongodb://mongodb:27017/?w=1&retryWrites=false");

        Assert.Equal(new WriteConcern(1), settings.WriteConcern);
        Assert.False(settings.RetryWrites);
    }
}

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

    [Fact]
    public void A_password_given_apart_from_the_url_authenticates_the_user_the_url_names()
    {
        var settings = DurableMongoSettings.From("mongodb://dealrisk@mongodb:27017/?replicaSet=rs0&authSource=admin", "s3cret-from-a-secret");

        Assert.Equal(("dealrisk", "admin"), (settings.Credential.Username, settings.Credential.Source));
        Assert.Equal("rs0", settings.ReplicaSetName);
        Assert.Equal(WriteConcern.WMajority.With(journal: true), settings.WriteConcern);
        Assert.Contains("dealrisk", settings.Credential.ToString());
        Assert.DoesNotContain("s3cret", settings.Credential.ToString());
    }
}

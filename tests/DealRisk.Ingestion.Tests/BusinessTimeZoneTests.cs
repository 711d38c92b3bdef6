using DealRisk.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace DealRisk.Ingestion.Tests;

public sealed class BusinessTimeZoneTests
{
    private static BusinessTimeZone Read(params (string Key, string Value)[] settings) =>
        BusinessTimeZone.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)))
            .Build());

    [Fact]
    public void Unset_it_is_Pacific_time()
    {
        var business = Read();

        Assert.Equal("America/Los_Angeles", business.Zone.Id);
        Assert.Empty(business.DeprecatedSettingsUsed);
    }

    [Fact]
    public void The_one_setting_names_the_zone_the_business_day_is_counted_in()
    {
        var business = Read(("Business:TimeZone", "Europe/Berlin"));

        Assert.Equal("Europe/Berlin", business.Zone.Id);
        Assert.Equal(new DateOnly(2026, 12, 2), business.DayAt(new DateTimeOffset(2026, 12, 1, 23, 30, 0, TimeSpan.Zero)));
        Assert.Empty(business.DeprecatedSettingsUsed);
    }

    [Theory]
    [InlineData("Ingestion:Sync:TimeZone")]
    [InlineData("Sla:TimeZone")]
    public void An_old_setting_still_works_and_is_reported_as_deprecated(string old)
    {
        var business = Read((old, "America/New_York"));

        Assert.Equal("America/New_York", business.Zone.Id);
        Assert.Equal([old], business.DeprecatedSettingsUsed);
    }

    [Fact]
    public void Settings_that_disagree_are_refused_naming_each_of_them()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read(("Business:TimeZone", "Europe/Berlin"), ("Sla:TimeZone", "America/New_York")));

        Assert.Contains("Business:TimeZone='Europe/Berlin'", refused.Message);
        Assert.Contains("Sla:TimeZone='America/New_York'", refused.Message);
        Assert.Contains("Business__TimeZone", refused.Message);
    }

    [Fact]
    public void An_unknown_zone_is_refused_naming_the_setting()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Read(("Ingestion:Sync:TimeZone", "Mars/Olympus")));

        Assert.Contains("Ingestion:Sync:TimeZone 'Mars/Olympus' is not a known time zone id", refused.Message);
    }
}

using System.Net;
using DealRisk.Ingestion.Webhooks.Salesforce;

namespace DealRisk.Ingestion.Tests;

public sealed class SalesforceOptionsTests
{
    private const string Token = "a-token-long-enough-for-the-check";

    [Fact]
    public void Only_the_exact_configured_token_is_accepted()
    {
        var options = new SalesforceOptions { EndpointToken = Token };

        Assert.True(options.HasEndpointToken(Token));
        Assert.False(options.HasEndpointToken(Token + "!"));
        Assert.False(options.HasEndpointToken(Token[..^1]));
        Assert.False(options.HasEndpointToken(""));
        Assert.False(new SalesforceOptions().HasEndpointToken(""));
    }

    [Fact]
    public void An_allow_list_admits_only_addresses_inside_its_networks_including_ipv4_mapped_ones()
    {
        var options = new SalesforceOptions { AllowedNetworks = ["13.108.0.0/14", "2001:db8::/32"] };

        Assert.True(options.AllowsAddress(IPAddress.Parse("13.110.1.2")));
        Assert.True(options.AllowsAddress(IPAddress.Parse("::ffff:13.108.0.9")));
        Assert.True(options.AllowsAddress(IPAddress.Parse("2001:db8::5")));
        Assert.False(options.AllowsAddress(IPAddress.Parse("13.112.0.1")));
        Assert.False(options.AllowsAddress(null));
        Assert.True(new SalesforceOptions().AllowsAddress(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public void A_LastModifiedDate_beyond_the_skew_counts_as_now_and_one_within_it_is_kept()
    {
        var options = new SalesforceOptions { ClockSkew = TimeSpan.FromMinutes(5) };
        var now = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(now, options.Clamp(DateTimeOffset.MaxValue, now));
        Assert.Equal(now.AddMinutes(4), options.Clamp(now.AddMinutes(4), now));
        Assert.Null(options.Clamp(null, now));
    }

    [Fact]
    public void A_short_token_or_a_network_that_is_not_CIDR_fails_validation_naming_the_setting()
    {
        var result = new SalesforceOptionsValidator().Validate(null, new SalesforceOptions { EndpointToken = "short", AllowedNetworks = ["salesforce.com"] });

        Assert.True(result.Failed);
        Assert.Contains("Crm:Salesforce:EndpointToken", result.FailureMessage);
        Assert.Contains("Crm:Salesforce:AllowedNetworks holds entries that are not CIDR networks: salesforce.com", result.FailureMessage);
    }
}

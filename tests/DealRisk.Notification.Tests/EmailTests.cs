using MimeKit;

namespace DealRisk.Notification.Tests;

public sealed class EmailTests
{
    [Fact]
    public async Task The_daily_summary_is_emailed_to_every_recipient_with_HTML_and_plain_text_parts()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(EmailSettings(smtp.Port));

        await Batches.CompleteAsync(notification, null, Scores.Critical("D1", amount: 45_000m), Scores.High("D2", amount: 30_000m), Scores.Low("D3"));

        var message = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal(["cro@example.com", "vp-sales@example.com"], message.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal("Deal risk 2024-06-30: 2 high-risk deals, $75k ACV at risk", message.Subject);
        Assert.Contains("<strong>2 high-risk deals, $75k ACV at risk</strong>", message.HtmlBody);
        Assert.Contains("**2 high-risk deals, $75k ACV at risk**", message.TextBody);
        Assert.IsType<MultipartAlternative>(message.Body);
    }

    [Fact]
    public async Task Hostile_deal_names_reach_the_email_HTML_encoded()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(EmailSettings(smtp.Port));

        await Batches.CompleteAsync(notification, null, Scores.Of("D1", 95, Contracts.RiskLevels.Critical, name: "<script>alert('x')</script> & <img src=x onerror=alert(1)>"));

        var html = Assert.Single(await smtp.WaitForMessagesAsync(1)).HtmlBody;
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;", html);
    }

    [Fact]
    public async Task An_email_queued_while_the_SMTP_server_is_down_is_delivered_once_when_it_is_back()
    {
        var port = SmtpSink.FreePort();
        await using var notification = await NotificationHarness.StartAsync(EmailSettings(port));
        await Batches.CompleteAsync(notification, null, Scores.Low("D1"));
        await SlackDeliveryTests.WaitUntilAsync(async () =>
            (await SlackDeliveryTests.Pending(notification)).Any(message => message.Destination == "email" && message.Attempts >= 1));

        await using var smtp = await SmtpSink.StartAsync(port);

        Assert.Single(await smtp.WaitForMessagesAsync(1));
        await SlackDeliveryTests.WaitUntilAsync(async () => (await SlackDeliveryTests.Pending(notification)).Count == 0);
        Assert.Equal(1, smtp.MessageCount);
    }

    private static Dictionary<string, string?> EmailSettings(int port) => new()
    {
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = port.ToString(),
        ["Email:Security"] = "None",
        ["Email:From"] = "DealRisk <dealrisk@example.com>",
        ["Email:Recipients"] = "cro@example.com, vp-sales@example.com",
    };
}

public sealed class EmailSecurityTests
{
    [Fact]
    public async Task By_default_a_server_that_offers_no_STARTTLS_gets_no_email_rather_than_one_in_clear_text()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var notification = await NotificationHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = smtp.Port.ToString(),
            ["Email:Recipients"] = "cro@example.com",
        });

        await Batches.CompleteAsync(notification, null, Scores.Low("D1"));

        await SlackDeliveryTests.WaitUntilAsync(async () =>
            (await SlackDeliveryTests.Pending(notification)).Any(message => message.Destination == "email" && message.Attempts >= 1));
        var email = (await SlackDeliveryTests.Pending(notification)).Single(message => message.Destination == "email");
        Assert.Equal("SMTP: the server offers no STARTTLS (Email:Security)", email.LastError);
        Assert.Equal(0, smtp.MessageCount);
    }

    [Theory]
    [InlineData("None")]
    [InlineData("Auto")]
    [InlineData("StartTlsWhenAvailable")]
    public void A_mode_that_can_fall_back_to_clear_text_is_refused_when_a_user_name_is_set(string security)
    {
        var options = new Email.EmailOptions { Host = "smtp.example.com", UserName = "dealrisk", Security = security, Recipients = "cro@example.com" };

        Assert.Contains($"Email:Security '{security}' may send the password in clear text: with Email:UserName set, use StartTls or SslOnConnect.", options.Validate());
    }

    [Theory]
    [InlineData("StartTls")]
    [InlineData("SslOnConnect")]
    public void A_TLS_mode_with_a_user_name_is_accepted_and_StartTls_is_the_default(string security)
    {
        var options = new Email.EmailOptions { Host = "smtp.example.com", UserName = "dealrisk", Security = security, Recipients = "cro@example.com" };

        Assert.Empty(options.Validate());
        Assert.Equal("StartTls", new Email.EmailOptions().Security);
    }
}

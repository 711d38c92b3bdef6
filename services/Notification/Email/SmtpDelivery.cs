using DealRisk.Notification.Outbox;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DealRisk.Notification.Email;

/// <summary>Sends one email through the configured SMTP server, as an HTML part with its plain-text alternative.</summary>
public sealed class SmtpDelivery(IOptions<EmailOptions> options)
{
    public async Task<DeliveryOutcome> DeliverAsync(EmailContent content, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
            return DeliveryOutcome.Failed("SMTP is not configured (Email:Host)");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var address in content.To.Count > 0 ? content.To : EmailOptions.Split(settings.Recipients))
            message.To.Add(MailboxAddress.Parse(address));
        message.Subject = content.Subject;
        message.Body = new BodyBuilder { HtmlBody = content.Html, TextBody = content.PlainText }.ToMessageBody();

        using var client = new SmtpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(OutboxOptions.LongestDelivery);
        try
        {
            client.Timeout = (int)OutboxOptions.LongestDelivery.TotalMilliseconds;
            await client.ConnectAsync(settings.Host, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), deadline.Token);
            if (!string.IsNullOrEmpty(settings.UserName))
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", deadline.Token);
            await client.SendAsync(message, deadline.Token);
        }
        catch (NotSupportedException)
        {
            // MailKit's answer when STARTTLS is required and the server (or a man in the middle) does not offer it.
            return DeliveryOutcome.Failed("SMTP: the server offers no STARTTLS (Email:Security)");
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or ProtocolException
                                              or CommandException or AuthenticationException or SslHandshakeException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DeliveryOutcome.Failed($"SMTP: {exception.GetType().Name}");
        }

        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or ProtocolException or CommandException)
        {
            // The server accepted the message: a failing QUIT after that must not make it look unsent.
        }
        return DeliveryOutcome.Delivered;
    }
}

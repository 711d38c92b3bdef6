using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

/// <summary>A real SMTP server on loopback: Debian's aiosmtpd writing every accepted message to a maildir.</summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly TempDirectory _mailbox;

    private SmtpSink(Process process, TempDirectory mailbox, int port)
    {
        _process = process;
        _mailbox = mailbox;
        Port = port;
    }

    public int Port { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<SmtpSink> StartAsync(int? port = null)
    {
        RequireAiosmtpd();
        var listenPort = port ?? FreePort();
        var mailbox = new TempDirectory();
        var process = Process.Start(new ProcessStartInfo(Python,
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{listenPort}", "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(mailbox.Path, "maildir")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, listenPort);
                return new SmtpSink(process, mailbox, listenPort);
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }
        process.Kill();
        throw new InvalidOperationException($"aiosmtpd did not start on port {listenPort}: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Waits until this many messages were accepted and returns them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count)
    {
        var newMail = Path.Combine(_mailbox.Path, "maildir", "new");
        for (var i = 0; i < 600; i++)
        {
            var files = Directory.Exists(newMail) ? Directory.GetFiles(newMail) : [];
            if (files.Length >= count)
                return files.Select(file => MimeMessage.Load(file)).ToList();
            await Task.Delay(100);
        }
        Assert.Fail($"The SMTP sink did not receive {count} message(s) within a minute.");
        return [];
    }

    public int MessageCount => Directory.Exists(Path.Combine(_mailbox.Path, "maildir", "new")) ? Directory.GetFiles(Path.Combine(_mailbox.Path, "maildir", "new")).Length : 0;

    private static void RequireAiosmtpd()
    {
        var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true });
        check?.WaitForExit();
        if (check is null || check.ExitCode != 0)
            throw new InvalidOperationException("The email tests need Debian's aiosmtpd (/usr/bin/python3 -m aiosmtpd): run deploy/scripts/ensure-test-tools.sh.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _mailbox.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using MassTransit;
using Testcontainers.RabbitMq;

namespace DealRisk.EndToEnd.Tests;

/// <summary>
/// The RabbitMQ the end-to-end tests run on: the one at DEALRISK_RABBITMQ_HOST (default localhost), else a container
/// when a Docker engine answers. Each run gets its own virtual host, so queues left by an earlier run never interfere.
/// With no broker at all the tests fail, saying how to start one: they must never pass or skip unnoticed.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string HostVariable = "DEALRISK_RABBITMQ_HOST";
    private const ushort AmqpPort = 5672;
    private const ushort ManagementPort = 15672;

    private readonly RabbitMqContainer? _container;
    private readonly HttpClient _management;

    private RabbitMqBroker(string host, ushort port, string username, string password, Uri management, RabbitMqContainer? container)
    {
        Host = host;
        Port = port;
        Username = username;
        Password = password;
        _container = container;
        _management = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(10) };
        _management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public string Host { get; }
    public ushort Port { get; }
    public string Username { get; }
    public string Password { get; }

    /// <summary>
    /// A started bus of the caller's own on <paramref name="virtualHost"/>, with one temporary queue (gone when the bus
    /// stops) on which <paramref name="handlers"/> registers what it observes.
    /// </summary>
    public Task<IBusControl> StartObserverBusAsync(string virtualHost, string queuePrefix, Action<IRabbitMqReceiveEndpointConfigurator> handlers) =>
        StartObserverBusAsync(virtualHost, (queuePrefix, handlers));

    /// <summary>
    /// The same with a temporary queue per prefix, so what one observes never waits in the other's queue (as the services
    /// keep batch chunks apart from single-deal messages).
    /// </summary>
    public async Task<IBusControl> StartObserverBusAsync(
        string virtualHost, params (string QueuePrefix, Action<IRabbitMqReceiveEndpointConfigurator> Handlers)[] queues)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(Host, Port, virtualHost, host =>
            {
                host.Username(Username);
                host.Password(Password);
            });
            foreach (var (queuePrefix, handlers) in queues)
                cfg.ReceiveEndpoint($"{queuePrefix}-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.Durable = false;
                    endpoint.AutoDelete = true;
                    handlers(endpoint);
                });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return bus;
    }

    public static async Task<RabbitMqBroker> ConnectAsync()
    {
        var configured = Environment.GetEnvironmentVariable(HostVariable);
        var host = string.IsNullOrWhiteSpace(configured) ? "localhost" : configured.Trim();
        if (await AnswersAsync(host, AmqpPort))
            return new RabbitMqBroker(host, AmqpPort, "guest", "guest", new Uri($"http://{host}:{ManagementPort}/"), null);

        var unavailable =
            $"RabbitMQ does not answer at {host}:{AmqpPort}. Start it with deploy/scripts/ensure-rabbitmq.sh (or run make test), " +
            $"or point {HostVariable} at a broker that accepts guest/guest.";
        if (!string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException(unavailable);

        RabbitMqContainer? container = null;
        try
        {
            container = new RabbitMqBuilder("rabbitmq:3-management").WithPortBinding(ManagementPort, true).Build();
            await container.StartAsync();
            return new RabbitMqBroker(
                container.Hostname,
                container.GetMappedPublicPort(AmqpPort),
                RabbitMqBuilder.DefaultUsername,
                RabbitMqBuilder.DefaultPassword,
                new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(ManagementPort)}/"),
                container);
        }
        catch (Exception e)
        {
            if (container is not null)
                await container.DisposeAsync();
            throw new InvalidOperationException($"{unavailable} No Docker engine answered for a container either ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    /// <summary>A service process's settings for this broker's <paramref name="virtualHost"/>, with <paramref name="more"/> of its own.</summary>
    public Dictionary<string, string> ServiceSettings(string virtualHost, IReadOnlyDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Bus__Transport"] = "RabbitMq",
            ["Bus__RabbitMq__Host"] = Host,
            ["Bus__RabbitMq__Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bus__RabbitMq__VirtualHost"] = virtualHost,
            ["Bus__RabbitMq__Username"] = Username,
            ["Bus__RabbitMq__Password"] = Password,
        };
        foreach (var (name, value) in more ?? new Dictionary<string, string>())
            settings[name] = value;
        return settings;
    }

    /// <summary>A new, empty virtual host the broker's user may use fully; through the management API, else rabbitmqctl on this machine.</summary>
    public async Task<string> CreateVirtualHostAsync()
    {
        var name = $"dealrisk-e2e-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            using (var created = await _management.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null))
                created.EnsureSuccessStatusCode();
            using var permitted = await _management.PutAsJsonAsync(
                $"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(Username)}",
                new { configure = ".*", write = ".*", read = ".*" });
            permitted.EnsureSuccessStatusCode();
        }
        catch (Exception api) when ((api is HttpRequestException or TaskCanceledException) && _container is null)
        {
            try
            {
                await RabbitMqCtlAsync("add_vhost", name);
                await RabbitMqCtlAsync("set_permissions", "-p", name, Username, ".*", ".*", ".*");
            }
            catch (Exception ctl)
            {
                throw new InvalidOperationException(
                    $"Could not create a virtual host on RabbitMQ at {Host}: the management API at {_management.BaseAddress} failed " +
                    $"({api.Message}) and so did rabbitmqctl ({ctl.Message}). deploy/scripts/ensure-rabbitmq.sh enables the management plugin.",
                    ctl);
            }
        }
        return name;
    }

    /// <summary>The queues on <paramref name="virtualHost"/> now; through the management API, else rabbitmqctl on this machine.</summary>
    public async Task<IReadOnlyList<string>> QueueNamesAsync(string virtualHost)
    {
        try
        {
            var queues = await _management.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"api/queues/{Uri.EscapeDataString(virtualHost)}") ?? [];
            return [.. queues.Select(queue => queue.GetProperty("name").GetString()!)];
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && _container is null)
        {
            var listed = await RabbitMqCtlAsync("list_queues", "-p", virtualHost, "name", "--no-table-headers");
            return [.. listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
    }

    public async Task DeleteVirtualHostAsync(string name)
    {
        try
        {
            using var deleted = await _management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}");
            deleted.EnsureSuccessStatusCode();
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && _container is null)
        {
            await RabbitMqCtlAsync("delete_vhost", name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _management.Dispose();
        if (_container is not null)
            await _container.DisposeAsync();
    }

    private static async Task<bool> AnswersAsync(string host, int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<string> RabbitMqCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        return await output;
    }
}

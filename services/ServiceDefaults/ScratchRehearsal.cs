using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DealRisk.ServiceDefaults;

/// <summary>One kind of real-time work rehearsed on the scratch copy of a service: a message published to its consumers, or a call into it.</summary>
public interface IRehearsalStep
{
    Task RunAsync(IServiceProvider scratch, int index, CancellationToken cancellationToken);
}

/// <summary>A sample message published on the scratch bus, where the service's own consumers take it as they would a real one.</summary>
public sealed class PublishRehearsal<T>(Func<int, T> sample) : IRehearsalStep where T : class
{
    public Task RunAsync(IServiceProvider scratch, int index, CancellationToken cancellationToken) =>
        scratch.GetRequiredService<IBus>().Publish(sample(index), cancellationToken);
}

/// <summary>A call into the service in a scope of its scratch copy, for work that does not start from a message (a webhook).</summary>
public sealed class CallRehearsal(Func<IServiceProvider, int, CancellationToken, Task> call) : IRehearsalStep
{
    public async Task RunAsync(IServiceProvider scratch, int index, CancellationToken cancellationToken)
    {
        await using var scope = scratch.CreateAsyncScope();
        await call(scope.ServiceProvider, index, cancellationToken);
    }
}

/// <summary>
/// How to build a service a second time: its own registrations, replayed on an in-memory bus and an embedded store in a
/// scratch directory, with none of its background work started. The warm-up runs the real-time steps through that copy,
/// so the consumers, their stores' reads and writes and their serializers are compiled before the first real message,
/// with nothing written to the real store or sent to the broker, Slack or email.
/// </summary>
public sealed record ScratchRehearsal(string ServiceName, Action<IHostApplicationBuilder> Compose, IReadOnlyList<IRehearsalStep> Steps)
{
    /// <summary>Settings of the scratch copy beyond its bus and store, made from the real configuration: where its outbound calls go instead.</summary>
    public Func<IConfiguration, ScratchSettings>? Settings { get; init; }
}

/// <summary>Settings for a scratch copy, and what serves them (a loopback listener) for as long as the copy runs.</summary>
public sealed record ScratchSettings(IReadOnlyDictionary<string, string?> Values, IDisposable? Resource = null);

/// <summary>A scratch copy of a service, started: its stores set up, its in-memory bus running; disposing it deletes its files.</summary>
public sealed class ScratchService : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;
    private readonly ReceiveActivity _activity;
    private readonly IDisposable? _resource;

    private ScratchService(IHost host, string directory, ReceiveActivity activity, IDisposable? resource)
    {
        _host = host;
        _directory = directory;
        _activity = activity;
        _resource = resource;
    }

    public IServiceProvider Services => _host.Services;

    public IReadOnlyCollection<Exception> Failures => _activity.Failures;

    /// <summary>What served the copy's outbound calls, if anything did (its own description).</summary>
    public string? Outbound => _resource?.ToString();

    /// <summary>Messages the scratch bus delivered: the steps' own and those its consumers published in turn.</summary>
    public long Received => _activity.Received;

    public static async Task<ScratchService> StartAsync(ScratchRehearsal rehearsal, IConfiguration configuration, CancellationToken cancellationToken)
    {
        using var rehearsing = Rehearsal.Begin();
        var directory = Directory.CreateTempSubdirectory("dealrisk-rehearsal-").FullName;
        ScratchSettings? extra = null;
        IHost? host = null;
        try
        {
            extra = rehearsal.Settings?.Invoke(configuration);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
            {
                Configuration = Settings(configuration, directory, extra),
                ContentRootPath = AppContext.BaseDirectory,
            });
            rehearsal.Compose(builder);
            host = builder.Build();
            // Only the stores are set up; schedules, sweepers, dispatchers and the like stay unstarted.
            foreach (var hosted in host.Services.GetServices<IHostedService>().OfType<StoreSetUp>())
                await hosted.StartAsync(cancellationToken);
            var activity = new ReceiveActivity();
            var bus = host.Services.GetRequiredService<IBusControl>();
            bus.ConnectReceiveObserver(activity);
            await bus.StartAsync(cancellationToken);
            return new ScratchService(host, directory, activity, extra?.Resource);
        }
        catch
        {
            await DisposeAsync(host, directory, extra?.Resource);
            throw;
        }
    }

    /// <summary>The real configuration with the scratch copy's bus, store and the rehearsal's own settings over it.</summary>
    private static ConfigurationManager Settings(IConfiguration configuration, string directory, ScratchSettings? extra)
    {
        var settings = new ConfigurationManager();
        settings.AddConfiguration(configuration);
        settings.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = nameof(BusTransport.InMemory),
            ["Bus:RetryIntervals:0"] = "00:00:00",
            ["Bus:RedeliveryIntervals:0"] = "00:00:00",
            ["Storage:Provider"] = "Embedded",
            ["Storage:DataDirectory"] = directory,
        });
        if (extra is not null)
            settings.AddInMemoryCollection(extra.Values);
        return settings;
    }

    /// <summary>Runs each step once per index from <paramref name="first"/> on and waits until the scratch bus has handled everything they caused.</summary>
    public async Task RunAsync(IReadOnlyList<IRehearsalStep> steps, int first, int count, CancellationToken cancellationToken)
    {
        using var rehearsing = Rehearsal.Begin();
        for (var index = first; index < first + count; index++)
        {
            foreach (var step in steps)
            {
                try
                {
                    await step.RunAsync(Services, index, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    _activity.Failed(e);
                }
            }
        }
        await _activity.WaitUntilIdleAsync(cancellationToken);
    }

    /// <summary>Disposing the scratch host stops its bus.</summary>
    public ValueTask DisposeAsync() => new(DisposeAsync(_host, _directory, _resource));

    /// <summary>The one clean-up of a copy, started or failed on its way: host, files, and what served its outbound calls.</summary>
    private static async Task DisposeAsync(IHost? host, string directory, IDisposable? resource)
    {
        if (host is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        else
            host?.Dispose();
        resource?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Messages being received on the scratch bus, and the consumers' faults.</summary>
    private sealed class ReceiveActivity : IReceiveObserver
    {
        private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);
        private readonly ConcurrentQueue<Exception> _failures = new();
        private int _inFlight;
        private long _received;
        private long _lastChange = Environment.TickCount64;

        public IReadOnlyCollection<Exception> Failures => _failures;

        public long Received => Interlocked.Read(ref _received);

        public void Failed(Exception e) => _failures.Enqueue(e);

        /// <summary>Idle: nothing in flight and nothing started for a moment, so messages the consumers published have arrived too.</summary>
        public async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
        {
            while (Volatile.Read(ref _inFlight) > 0 || Environment.TickCount64 - Interlocked.Read(ref _lastChange) < Settle.TotalMilliseconds)
                await Task.Delay(20, cancellationToken);
        }

        public Task PreReceive(ReceiveContext context)
        {
            Interlocked.Increment(ref _inFlight);
            Touch();
            return Task.CompletedTask;
        }

        public Task PostReceive(ReceiveContext context)
        {
            Interlocked.Increment(ref _received);
            Interlocked.Decrement(ref _inFlight);
            Touch();
            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
        {
            _failures.Enqueue(exception);
            return Task.CompletedTask;
        }

        public Task ReceiveFault(ReceiveContext context, Exception exception)
        {
            Interlocked.Decrement(ref _inFlight);
            _failures.Enqueue(exception);
            Touch();
            return Task.CompletedTask;
        }

        private void Touch() => Interlocked.Exchange(ref _lastChange, Environment.TickCount64);
    }
}

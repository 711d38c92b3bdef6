using DealRisk.Testing;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DealRisk.Ingestion.Tests;

/// <summary>One ingestion API per test: its factory, a client that sends the API key, and its bus harness.</summary>
public abstract class IngestionApiTest : IAsyncLifetime
{
    protected IngestionApiFactory Factory { get; } = new();
    protected HttpClient Client { get; private set; } = null!;
    protected ITestHarness Harness { get; private set; } = null!;
    protected HarnessDeliveries Deliveries { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Client = Factory.CreateAuthorizedClient();
        Harness = Factory.Services.GetTestHarness();
        Deliveries = new HarnessDeliveries(Harness);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>What the service has published so far, without waiting for more.</summary>
    protected List<T> Published<T>() where T : class => [.. Deliveries.Published<T>()];

    /// <summary>The changes announced so far as rescored now, without waiting for more.</summary>
    protected List<DealRisk.Contracts.DealChanged> Rescores() => Announcements.Rescores(Harness);

    /// <summary>The changes announced so far as not rescored now, without waiting for more.</summary>
    protected List<DealRisk.Contracts.DealSynced> Syncs() => Announcements.Syncs(Harness);

    /// <summary>The deals announced so far, one per change whichever event announced it.</summary>
    protected List<DealRisk.Contracts.DealSnapshot> Announced() => Announcements.Deals(Harness);
}

using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DealRisk.Testing;

namespace DealRisk.Ingestion.Tests;

public sealed class PendingPublicationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly SqliteDocumentStore _store;
    private readonly DealRepository _deals;
    private readonly PendingPublications _pending;
    private readonly SettableTimeProvider _time = new(Now);

    public PendingPublicationTests()
    {
        _store = new SqliteDocumentStore(Path.Combine(_directory.Path, "ingestion.db"));
        _deals = new DealRepository(_store);
        _pending = new PendingPublications(_store);
    }

    [Fact]
    public async Task A_stored_change_whose_publish_failed_is_published_again_as_one_rescore_with_its_stage_change()
    {
        var change = await StoreStageChangeAsync();
        var failing = Publisher(new FailingPublishEndpoint());

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.PublishAsync([change], Guid.NewGuid(), "hubspot-webhook", CancellationToken.None));

        var recovered = new RecordingPublishEndpoint();
        var replayed = await Replay(recovered).RunAsync(Now.AddMinutes(1), CancellationToken.None);

        Assert.Equal(1, replayed);
        var rescore = Assert.IsType<DealChanged>(Assert.Single(recovered.Announced));
        Assert.Equal(("O1", 2L, DealStages.Proposal), (rescore.Deal.ExternalId, rescore.Deal.Version, rescore.Deal.Stage));
        Assert.Contains(DealChangeKinds.Stage, rescore.ChangedFields);
        Assert.Empty(await _pending.RecordedBeforeAsync(Now.AddHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_confirmed_publish_leaves_nothing_to_publish_again()
    {
        var change = await StoreStageChangeAsync();
        var publish = new RecordingPublishEndpoint();

        await Publisher(publish).PublishAsync([change], Guid.NewGuid(), "csv-import", CancellationToken.None);

        Assert.IsType<DealChanged>(Assert.Single(publish.Announced));
        var again = new RecordingPublishEndpoint();
        Assert.Equal(0, await Replay(again).RunAsync(Now.AddMinutes(1), CancellationToken.None));
        Assert.Empty(again.Published);
    }

    [Fact]
    public async Task A_publication_still_in_flight_is_left_alone()
    {
        var change = await StoreStageChangeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Publisher(new FailingPublishEndpoint()).PublishAsync([change], Guid.NewGuid(), "csv-import", CancellationToken.None));

        var publish = new RecordingPublishEndpoint();
        Assert.Equal(0, await Replay(publish).RunAsync(Now.AddSeconds(-1), CancellationToken.None));
        Assert.Single(await _pending.RecordedBeforeAsync(Now.AddMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_publish_the_broker_does_not_confirm_in_time_is_given_up_on_and_left_for_the_sweeper()
    {
        var change = await StoreStageChangeAsync();
        var publisher = Publisher(new UnansweredPublishEndpoint(), TimeSpan.FromMilliseconds(50));

        await publisher.AnnounceAsync([change], Guid.NewGuid(), "hubspot-webhook", recorded: [], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var recovered = new RecordingPublishEndpoint();
        Assert.Equal(1, await Replay(recovered).RunAsync(Now.AddMinutes(1), CancellationToken.None));
        Assert.Single(recovered.OfType<DealChanged>());
    }

    [Fact]
    public async Task Changes_recorded_before_they_were_stored_are_cleared_once_published()
    {
        var change = await StoreStageChangeAsync();
        var publish = new RecordingPublishEndpoint();
        var publisher = Publisher(publish);
        var recorded = await publisher.RecordAsync([change], Guid.NewGuid(), "hubspot-webhook", CancellationToken.None);

        await publisher.AnnounceAsync([change], recorded!.CorrelationId, "hubspot-webhook", [recorded], CancellationToken.None);

        Assert.IsType<DealChanged>(Assert.Single(publish.Announced));
        Assert.Empty(await _pending.RecordedBeforeAsync(Now.AddHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_webhook_publish_that_fails_is_not_an_error_for_the_CRM_since_the_change_stays_pending()
    {
        var change = await StoreStageChangeAsync();

        await Publisher(new FailingPublishEndpoint()).AnnounceAsync([change], Guid.NewGuid(), "hubspot-webhook", recorded: [], CancellationToken.None);

        var recovered = new RecordingPublishEndpoint();
        Assert.Equal(1, await Replay(recovered).RunAsync(Now.AddMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_change_left_out_of_real_time_rescoring_is_announced_by_DealSynced_alone()
    {
        var change = await StoreStageChangeAsync();
        var publish = new RecordingPublishEndpoint();

        await Publisher(publish).PublishAsync([change], Guid.NewGuid(), "csv-import", CancellationToken.None, rescore: false);

        var synced = Assert.IsType<DealSynced>(Assert.Single(publish.Announced));
        Assert.Equal(("O1", 2L), (synced.Deal.ExternalId, synced.Deal.Version));
    }

    [Fact]
    public async Task A_change_recorded_twice_by_one_import_its_row_and_then_its_rescore_is_replayed_as_one_rescore()
    {
        var change = await StoreStageChangeAsync();
        var importId = Guid.NewGuid();
        await _pending.RecordAsync(PendingPublication.Of([change], importId, "csv-import", Now, rescore: false), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Publisher(new FailingPublishEndpoint()).PublishAsync([change], importId, "csv-import", CancellationToken.None));
        Assert.Equal(2, (await _pending.RecordedBeforeAsync(Now.AddMinutes(1), CancellationToken.None)).Count);

        var recovered = new RecordingPublishEndpoint();
        Assert.Equal(1, await Replay(recovered).RunAsync(Now.AddMinutes(1), CancellationToken.None));

        var rescore = Assert.IsType<DealChanged>(Assert.Single(recovered.Announced));
        Assert.Equal((2L, importId), (rescore.Deal.Version, rescore.CorrelationId));
        Assert.Contains(DealChangeKinds.Stage, rescore.ChangedFields);
        Assert.Empty(await _pending.RecordedBeforeAsync(Now.AddHours(1), CancellationToken.None));
    }

    private DealEventPublisher Publisher(IPublishEndpoint publish, TimeSpan? publishWait = null) =>
        new(publish, _pending, _time, Options.Create(new IngestionOptions { PublishWait = publishWait ?? TimeSpan.FromSeconds(10) }), NullLogger<DealEventPublisher>.Instance);

    private PendingPublicationReplay Replay(IPublishEndpoint publish) => new(_pending, _deals, publish, _time, NullLogger.Instance);

    private async Task<DealMergeResult> StoreStageChangeAsync()
    {
        var first = DealMerge.Apply(null, Deals.Open("O1", new DateOnly(2024, 5, 1)), Now);
        await _deals.SaveAsync(first.Deal, CancellationToken.None);
        var moved = DealMerge.Apply(first.Deal, first.Deal with { Stage = DealStages.Proposal }, Now);
        await _deals.SaveAsync(moved.Deal, CancellationToken.None);
        return moved;
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    /// <summary>A broker that takes the messages and never confirms them.</summary>
    private sealed class UnansweredPublishEndpoint : IPublishEndpoint
    {
        private static Task Never(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

        public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();
        public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
        public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
        public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
        public Task Publish(object message, CancellationToken cancellationToken = default) => Never(cancellationToken);
        public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Never(cancellationToken);
        public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Never(cancellationToken);
        public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Never(cancellationToken);
        public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
        public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
        public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Never(cancellationToken);
    }

    private sealed class FailingPublishEndpoint : IPublishEndpoint
    {
        private static Task Fail() => Task.FromException(new InvalidOperationException("The broker is unreachable."));

        public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();
        public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Fail();
        public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Fail();
        public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Fail();
        public Task Publish(object message, CancellationToken cancellationToken = default) => Fail();
        public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Fail();
        public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Fail();
        public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Fail();
        public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => Fail();
        public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Fail();
        public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Fail();
    }
}

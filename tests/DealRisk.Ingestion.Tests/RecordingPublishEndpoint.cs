using DealRisk.Contracts;
using MassTransit;

namespace DealRisk.Ingestion.Tests;

/// <summary>Records every published message in publish order.</summary>
internal sealed class RecordingPublishEndpoint : IPublishEndpoint
{
    private readonly List<object> _published = [];
    private readonly Lock _gate = new();

    /// <summary>What was published so far; a copy, so a test may read it while a publisher in the background goes on.</summary>
    public IReadOnlyList<object> Published
    {
        get
        {
            lock (_gate) return _published.ToArray();
        }
    }

    /// <summary>The changes announced so far, each as the DealChanged or DealSynced a <see cref="DealChangesStored"/> carries it as.</summary>
    public IReadOnlyList<object> Announced =>
        [.. Published.SelectMany(message => message is DealChangesStored stored ? [.. stored.Rescored, .. stored.Synced] : new[] { message })];

    public IEnumerable<T> OfType<T>() => Announced.OfType<T>();

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();

    public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class =>
        Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class =>
        Record(message);

    public Task Publish(object message, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) =>
        Record(message);

    public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => throw new NotSupportedException();

    public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class =>
        throw new NotSupportedException();

    public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class =>
        throw new NotSupportedException();

    private Task Record(object message)
    {
        lock (_gate) _published.Add(message);
        return Task.CompletedTask;
    }
}

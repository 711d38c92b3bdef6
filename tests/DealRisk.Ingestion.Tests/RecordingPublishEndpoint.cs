using MassTransit;

namespace DealRisk.Ingestion.Tests;

/// <summary>Records every published message in publish order.</summary>
internal sealed class RecordingPublishEndpoint : IPublishEndpoint
{
    private readonly List<object> _published = [];

    public IReadOnlyList<object> Published => _published;

    public IEnumerable<T> OfType<T>() => _published.OfType<T>();

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
        _published.Add(message);
        return Task.CompletedTask;
    }
}

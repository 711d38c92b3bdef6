namespace DealRisk.Storage.Tests;

/// <summary>A store opened by a test, with whatever must be disposed to close it.</summary>
public sealed class OpenedStore(IDocumentStore store, IAsyncDisposable? owner) : IAsyncDisposable
{
    public IDocumentStore Store { get; } = store;

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}

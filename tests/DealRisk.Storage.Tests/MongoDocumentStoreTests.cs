using MongoDB.Driver;

namespace DealRisk.Storage.Tests;

[Trait("Category", "MongoDB")]
public sealed class MongoDocumentStoreTests(MongoStoreFixture fixture) : DocumentStoreContract, IClassFixture<MongoStoreFixture>
{
    protected override IDocumentStore Store => fixture.Store;

    protected override OpenedStore OpenStoreOverSameData()
    {
        var client = new MongoClient(DurableMongoSettings.From(fixture.ConnectionString));
        return new OpenedStore(new MongoDocumentStore(client.GetDatabase(fixture.DatabaseName)), new DisposingClient(client));
    }

    protected override void FailNextBulkWrites(int count) => fixture.Store.Faults.FailNextBulkWrites(count);

    private sealed class DisposingClient(MongoClient client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

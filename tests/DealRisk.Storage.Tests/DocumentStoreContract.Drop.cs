namespace DealRisk.Storage.Tests;

/// <summary>Dropping a collection: how an upgrade retires data that nothing reads any more.</summary>
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task Dropping_a_collection_of_documents_or_rows_removes_everything_in_it_says_whether_it_was_there_and_leaves_others_alone()
    {
        var documentsName = NewCollectionName();
        var rowsName = "rows-" + Guid.NewGuid().ToString("N")[..12];
        var kept = NewDeals();
        await Store.GetCollection<TestDeal>(documentsName, DealIndexes).UpsertAsync("deal-1", TestDeal.Sample());
        await Store.GetBinaryCollection(rowsName).UpsertManyAsync([Row("deal-1", 1, 1, 2, 3)]);
        await kept.UpsertAsync("deal-1", TestDeal.Sample());

        Assert.True(await Store.DropCollectionAsync(documentsName));
        Assert.True(await Store.DropCollectionAsync(rowsName));
        Assert.False(await Store.DropCollectionAsync(documentsName));
        Assert.False(await Store.DropCollectionAsync(NewCollectionName()));

        Assert.Null(await Store.GetCollection<TestDeal>(documentsName, DealIndexes).GetAsync("deal-1"));
        Assert.Equal(0, await Store.GetBinaryCollection(rowsName).CountAsync());
        await using var other = OpenStoreOverSameData();
        Assert.Null(await other.Store.GetCollection<TestDeal>(documentsName, DealIndexes).GetAsync("deal-1"));
        Assert.NotNull(await kept.GetAsync("deal-1"));
    }

    [Fact]
    public async Task A_dropped_collection_of_documents_opened_again_takes_new_documents_with_its_indexes()
    {
        var name = NewCollectionName();
        await Store.GetCollection<TestDeal>(name, DealIndexes).UpsertAsync("deal-1", TestDeal.Sample(stage: "won"));

        await Store.DropCollectionAsync(name);
        var reopened = Store.GetCollection<TestDeal>(name, DealIndexes);
        await reopened.UpsertAsync("deal-2", TestDeal.Sample(stage: "won"));

        Assert.Equal(1, await reopened.CountAsync("stage", "won"));
        Assert.Null(await reopened.GetAsync("deal-1"));
        Assert.NotNull(await reopened.GetAsync("deal-2"));
    }
}

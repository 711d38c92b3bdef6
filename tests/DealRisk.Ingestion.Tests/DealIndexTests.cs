using DealRisk.Contracts;
using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using DealRisk.Testing;

namespace DealRisk.Ingestion.Tests;

/// <summary>The slim deal index a batch reads: binary rows, each marked open or closed, moved over from BSON documents once.</summary>
public sealed class DealIndexTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteDocumentStore _store;
    private readonly DealRepository _deals;

    public DealIndexTests()
    {
        _store = new SqliteDocumentStore(Path.Combine(_directory.Path, "ingestion.db"));
        _deals = new DealRepository(_store);
    }

    [Fact]
    public async Task A_deal_that_closes_moves_from_the_open_deals_to_the_closed_and_an_older_version_does_not_move_it_back()
    {
        var open = Deals.Open("D1", new DateOnly(2024, 1, 1)) with { Version = 1 };
        var closed = Deals.Closed("D1", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)) with { Version = 2 };
        await _deals.SaveAsync(open, CancellationToken.None);
        Assert.Equal(["D1"], await IdsAsync(_deals.NotClosedAsync(CancellationToken.None)));

        await _deals.SaveAsync(closed, CancellationToken.None);
        await _deals.SaveAsync(open, CancellationToken.None);

        Assert.Empty(await IdsAsync(_deals.NotClosedAsync(CancellationToken.None)));
        var entry = Assert.Single(await _deals.ClosedAsync(CancellationToken.None).ToListAsync());
        Assert.Equal(DealIndexEntry.Of(closed), entry);
    }

    [Fact]
    public async Task An_index_an_earlier_release_stored_as_BSON_documents_is_moved_to_binary_rows_and_reads_the_same()
    {
        var legacy = _store.GetCollection<DealIndexEntry>(DealRepository.LegacyIndexCollection, "isClosed");
        var entries = new[]
        {
            DealIndexEntry.Of(Deals.Open("O1", new DateOnly(2024, 5, 1)) with { Version = 3 }),
            DealIndexEntry.Of(Deals.Closed("C1", new DateOnly(2024, 1, 1), new DateOnly(2024, 4, 1)) with { Version = 7 }),
            DealIndexEntry.Of(Deals.Open("O2", new DateOnly(2024, 6, 1)) with { Version = 1 }),
        };
        await legacy.UpsertManyAsync(entries.Select(entry => KeyValuePair.Create(DealKey.Of(entry.Source, entry.ExternalId), entry)).ToList());

        await _deals.MigrateAsync(CancellationToken.None);

        Assert.Equal([entries[0], entries[2]], await _deals.NotClosedAsync(CancellationToken.None).ToListAsync());
        Assert.Equal([entries[1]], await _deals.ClosedAsync(CancellationToken.None).ToListAsync());
        Assert.Equal(0, await legacy.CountAsync());
        await _deals.MigrateAsync(CancellationToken.None);
        Assert.Equal(3, await _store.GetBinaryCollection(DealRepository.IndexCollection).CountAsync());
    }

    [Theory]
    [InlineData(new byte[] { 7, 1, 2 }, "neither open (0) nor closed (1)")]
    [InlineData(new byte[] { 0 }, "it holds 1 bytes")]
    [InlineData(new byte[] { 0, 255 }, "it holds no entry")]
    public async Task An_index_row_that_cannot_be_read_fails_the_walk_naming_its_deal(byte[] payload, string why)
    {
        await _store.GetBinaryCollection(DealRepository.IndexCollection).UpsertManyAsync([new BinaryRow("test:broken", 1, payload)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _deals.NotClosedAsync(CancellationToken.None).ToListAsync().AsTask());

        Assert.Contains("'test:broken'", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public async Task An_index_row_whose_entry_is_cut_short_fails_the_walk_naming_its_deal_and_why()
    {
        await _store.GetBinaryCollection(DealRepository.IndexCollection).UpsertManyAsync([new BinaryRow("test:cut", 1, [0, 7, 1])]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _deals.NotClosedAsync(CancellationToken.None).ToListAsync().AsTask());

        Assert.Contains("'test:cut'", error.Message);
        Assert.IsType<MemoryPack.MemoryPackSerializationException>(error.InnerException);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private static async Task<List<string>> IdsAsync(IAsyncEnumerable<DealIndexEntry> entries) =>
        (await entries.ToListAsync()).Select(entry => entry.ExternalId).ToList();
}

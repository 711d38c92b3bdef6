using DealRisk.Features.Storage;
using DealRisk.Storage;

namespace DealRisk.Features.Tests;

public sealed class CombinedVersionedWritesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public sealed record Note(string Text);

    [Fact]
    public async Task Writes_arriving_while_a_group_is_stored_are_stored_together_in_the_next_one()
    {
        var collection = new GatedCollection();
        using var writes = CombinedNotes.Over(collection);

        var first = writes.UpsertIfNewerAsync("a", 1, new Note("a1"), CancellationToken.None);
        await collection.FirstGroupStarted.WaitAsync(Wait);
        var next = Enumerable.Range(0, 10).Select(i => writes.UpsertIfNewerAsync($"d{i}", 1, new Note("d"), CancellationToken.None)).ToList();
        collection.Release();

        Assert.True(await first.WaitAsync(Wait));
        Assert.All(await Task.WhenAll(next).WaitAsync(Wait), Assert.True);
        Assert.Equal([1, 10], collection.GroupSizes);
    }

    [Fact]
    public async Task Real_time_writes_stay_foreground_when_a_batch_chunk_first_needed_the_writer()
    {
        bool? backgroundWhileWriting = null;
        var created = await Task.Run(() =>
        {
            WritePriority.MarkBackground();
            return new CombinedVersionedWrites<VersionedDocument<Note>>(
                documents =>
                {
                    backgroundWhileWriting = WritePriority.IsBackground;
                    return Task.FromResult<IReadOnlySet<string>>(documents.Select(document => document.Id).ToHashSet());
                },
                _ => Task.FromResult(true),
                document => (document.Id, document.Version));
        });
        using var writes = created;

        Assert.True(await writes.UpsertIfNewerAsync("a", 1, new Note("a1"), CancellationToken.None).WaitAsync(Wait));
        Assert.False(backgroundWhileWriting);
    }

    [Fact]
    public async Task Of_two_versions_of_one_deal_in_a_group_only_the_newer_reports_it_was_stored()
    {
        var collection = new GatedCollection();
        using var writes = CombinedNotes.Over(collection);
        var first = writes.UpsertIfNewerAsync("x", 1, new Note("x1"), CancellationToken.None);
        await collection.FirstGroupStarted.WaitAsync(Wait);

        var newer = writes.UpsertIfNewerAsync("d", 3, new Note("d3"), CancellationToken.None);
        var older = writes.UpsertIfNewerAsync("d", 2, new Note("d2"), CancellationToken.None);
        collection.Release();

        await first.WaitAsync(Wait);
        Assert.True(await newer.WaitAsync(Wait));
        Assert.False(await older.WaitAsync(Wait));
        Assert.Equal("d3", collection.Stored["d"].Text);
    }

    [Fact]
    public async Task A_document_that_cannot_be_stored_fails_only_its_own_write()
    {
        var collection = new GatedCollection { Refused = "bad" };
        using var writes = CombinedNotes.Over(collection);
        var first = writes.UpsertIfNewerAsync("x", 1, new Note("x1"), CancellationToken.None);
        await collection.FirstGroupStarted.WaitAsync(Wait);

        var good = writes.UpsertIfNewerAsync("good", 1, new Note("g"), CancellationToken.None);
        var bad = writes.UpsertIfNewerAsync("bad", 1, new Note("b"), CancellationToken.None);
        collection.Release();

        await first.WaitAsync(Wait);
        Assert.True(await good.WaitAsync(Wait));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.WaitAsync(Wait));
        Assert.Contains("bad", refused.Message);
        Assert.True(collection.Stored.ContainsKey("good"));
    }

    [Fact]
    public async Task Concurrent_writes_to_SQLite_are_each_stored_once_and_a_replay_of_them_stores_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("dealrisk-combined-writes-");
        try
        {
            using var store = new SqliteDocumentStore(Path.Combine(directory.FullName, "features.db"));
            var collection = store.GetCollection<Note>("notes");
            using var writes = CombinedNotes.Over(collection);

            var stored = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => writes.UpsertIfNewerAsync($"n{i}", 2, new Note($"v2-{i}"), CancellationToken.None))));
            var replayed = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => writes.UpsertIfNewerAsync($"n{i}", 1, new Note($"v1-{i}"), CancellationToken.None)));

            Assert.All(stored, Assert.True);
            Assert.All(replayed, Assert.False);
            Assert.Equal(300, await collection.CountAsync());
            Assert.Equal("v2-7", (await collection.GetAsync("n7"))!.Text);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Holds the first group until released, records each group's size, and refuses one id the way a store refuses a document.</summary>
    internal sealed class GatedCollection
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, long> _versions = new();

        public string? Refused { get; init; }
        public List<int> GroupSizes { get; } = [];
        public Dictionary<string, Note> Stored { get; } = new();
        public Task FirstGroupStarted => _firstStarted.Task;

        public void Release() => _released.TrySetResult();

        public async Task<IReadOnlySet<string>> UpsertManyIfNewerAsync(IReadOnlyCollection<VersionedDocument<Note>> documents, CancellationToken ct = default)
        {
            GroupSizes.Add(documents.Count);
            _firstStarted.TrySetResult();
            await _released.Task;
            if (documents.Any(document => document.Id == Refused))
                throw new InvalidOperationException($"Document {Refused} refused.");
            var written = new HashSet<string>();
            foreach (var document in documents)
                if (Write(document.Id, document.Version, document.Document))
                    written.Add(document.Id);
            return written;
        }

        public Task<bool> UpsertIfNewerAsync(string id, long version, Note document, CancellationToken ct = default) =>
            id == Refused ? throw new InvalidOperationException($"Document {id} refused.") : Task.FromResult(Write(id, version, document));

        private bool Write(string id, long version, Note document)
        {
            if (_versions.TryGetValue(id, out var stored) && stored >= version)
                return false;
            _versions[id] = version;
            Stored[id] = document;
            return true;
        }

    }
}

/// <summary>The combiner over a document collection, as the feature service uses it for the latest features.</summary>
internal static class CombinedNotes
{
    public static CombinedVersionedWrites<VersionedDocument<CombinedVersionedWritesTests.Note>> Over(IDocumentCollection<CombinedVersionedWritesTests.Note> collection) => new(
        documents => collection.UpsertManyIfNewerAsync(documents),
        document => collection.UpsertIfNewerAsync(document.Id, document.Version, document.Document),
        document => (document.Id, document.Version));

    public static CombinedVersionedWrites<VersionedDocument<CombinedVersionedWritesTests.Note>> Over(CombinedVersionedWritesTests.GatedCollection collection) => new(
        documents => collection.UpsertManyIfNewerAsync(documents),
        document => collection.UpsertIfNewerAsync(document.Id, document.Version, document.Document),
        document => (document.Id, document.Version));

    public static Task<bool> UpsertIfNewerAsync(
        this CombinedVersionedWrites<VersionedDocument<CombinedVersionedWritesTests.Note>> writes, string id, long version, CombinedVersionedWritesTests.Note note, CancellationToken cancellationToken) =>
        writes.UpsertIfNewerAsync(new VersionedDocument<CombinedVersionedWritesTests.Note>(id, version, note), cancellationToken);
}

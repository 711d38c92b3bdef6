using DealRisk.Ingestion.Deals;
using DealRisk.Storage;
using DealRisk.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DealRisk.Ingestion.Tests;

/// <summary>Upgrading a store that still holds ingestion's old copy of the latest scores: scoring keeps them now.</summary>
public sealed class RetiredLatestScoresTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteDocumentStore _store;

    public RetiredLatestScoresTests() => _store = new SqliteDocumentStore(Path.Combine(_directory.Path, "ingestion.db"));

    [Fact]
    public async Task Upgrading_drops_both_old_copies_of_the_latest_scores_keeps_everything_else_and_is_harmless_when_run_again()
    {
        await _store.GetBinaryCollection("latest-scores").UpsertManyAsync([new BinaryRow("hubspot:D-1", 1, [1, 2, 3])]);
        await _store.GetCollection<OldScore>("latest-deal-scores").UpsertAsync("hubspot:D-2", new OldScore(55));
        var receipts = _store.GetCollection<OldScore>("scored-chunk-receipts");
        await receipts.UpsertAsync("kept", new OldScore(1));
        var retired = new RetiredLatestScores(_store, NullLogger<RetiredLatestScores>.Instance);

        await retired.MigrateAsync(CancellationToken.None);
        var tablesAfterUpgrade = Tables();
        await retired.MigrateAsync(CancellationToken.None);

        Assert.DoesNotContain("latest_scores", tablesAfterUpgrade);
        Assert.DoesNotContain("latest_deal_scores", tablesAfterUpgrade);
        Assert.Contains("scored_chunk_receipts", tablesAfterUpgrade);
        Assert.Equal(tablesAfterUpgrade, Tables());
        Assert.Equal(new OldScore(1), await receipts.GetAsync("kept"));
    }

    private List<string> Tables()
    {
        using var connection = new SqliteConnection($"Data Source={_store.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var rows = command.ExecuteReader();
        var names = new List<string>();
        while (rows.Read())
            names.Add(rows.GetString(0));
        return names;
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    public sealed record OldScore(int Score);
}

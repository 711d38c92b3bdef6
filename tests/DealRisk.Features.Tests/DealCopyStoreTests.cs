using DealRisk.Contracts;
using DealRisk.Features.Storage;
using DealRisk.Storage;
using DealRisk.SyntheticCrm;

namespace DealRisk.Features.Tests;

public sealed class DealCopyStoreTests
{
    private static readonly SyntheticCrmOptions Sample = new() { Seed = 5, DealCount = 300, AsOf = new DateOnly(2025, 6, 30) };

    [Fact]
    public void Every_field_of_a_deal_with_its_history_survives_the_binary_row()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        var rich = deals.First(deal => deal.History.Count > 3 && deal.ActivityDates.Count > 0 && deal.Amount is not null) with
        {
            UntrackedFields = [DealFields.Amount],
            FinalOnlyFields = [DealFields.CloseDate],
            MissingFields = ["industry"],
            UnavailableFields = ["region"],
            NextStepUpdatedAt = new DateTimeOffset(2025, 5, 1, 9, 30, 0, TimeSpan.FromHours(-7)),
            ClosedAt = null,
        };

        var row = DealCopyStore.Encode(rich);

        Assert.Equal((DealKey.Of(rich.Source, rich.ExternalId), rich.Version), (row.Id, row.Version));
        Assert.Equivalent(rich, DealCopyStore.Decode(row), strict: true);
        Assert.Equal(rich.NextStepUpdatedAt, DealCopyStore.Decode(row).NextStepUpdatedAt);
    }

    [Fact]
    public void A_row_that_is_not_a_deal_copy_is_refused_naming_it_and_what_to_do()
    {
        var error = Assert.Throws<InvalidDataException>(() => DealCopyStore.Decode(new BinaryRow("hubspot:9", 1, [1, 2, 3])));

        Assert.Contains("'hubspot:9'", error.Message);
        Assert.Contains("resync", error.Message);
    }

    [Fact]
    public async Task Upgrading_a_store_that_kept_copies_as_bson_documents_moves_every_copy_and_keeps_a_newer_binary_one()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        var directory = FeaturesHost.NewDirectory();
        var newer = deals[0] with { Version = deals[0].Version + 1, Stage = DealStages.Negotiation };
        await using (var old = new SqliteDocumentStore(Path.Combine(directory, "features.db")))
        {
            var legacy = old.GetCollection<DealSnapshot>(DealCopyStore.LegacyCollection);
            await legacy.UpsertManyAsync(deals.Select(deal => KeyValuePair.Create(DealKey.Of(deal.Source, deal.ExternalId), deal)).ToList());
            // A copy already written in the new layout by a replica that upgraded first.
            await old.GetBinaryCollection("deal-copies").UpsertIfNewerAsync(DealCopyStore.Encode(newer));
        }

        await using var host = await FeaturesHost.StartAsync(directory: directory);

        Assert.Equal(deals.Count, await host.Copies.CountAsync(CancellationToken.None));
        foreach (var deal in deals.Skip(1))
            Assert.Equivalent(deal, await host.Copies.GetAsync(deal.Source, deal.ExternalId, CancellationToken.None), strict: true);
        Assert.Equal(DealStages.Negotiation, (await host.Copies.GetAsync(newer.Source, newer.ExternalId, CancellationToken.None))!.Stage);
        await using var reopened = new SqliteDocumentStore(Path.Combine(directory, "features.db"));
        Assert.Equal(0, await reopened.GetCollection<DealSnapshot>(DealCopyStore.LegacyCollection).CountAsync());
    }

    [Fact]
    public async Task Copies_are_read_in_bulk_in_key_order_whatever_order_they_are_asked_for()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        await using var host = await FeaturesHost.StartAsync();
        await host.SeedCopiesAsync(deals);
        var asked = deals.Select(deal => DealKey.Of(deal.Source, deal.ExternalId)).Reverse().ToList();

        var read = new List<string>();
        await foreach (var deal in host.Copies.GetManyAsync(asked, CancellationToken.None))
            read.Add(DealKey.Of(deal.Source, deal.ExternalId));

        Assert.Equal(asked.Order(StringComparer.Ordinal), read);
    }

    [Fact]
    public async Task A_bulk_read_decodes_every_copy_asked_for_once_with_its_key_and_leaves_out_keys_without_a_copy()
    {
        var deals = SyntheticCrmGenerator.Generate(Sample).ToList();
        await using var host = await FeaturesHost.StartAsync();
        await host.SeedCopiesAsync(deals.Where((_, i) => i % 4 != 0).ToList());
        var asked = deals.Where((_, i) => i % 2 == 0).Select(deal => DealKey.Of(deal.Source, deal.ExternalId)).Reverse().ToList();

        var read = new Dictionary<string, DealSnapshot>();
        await host.Copies.ReadManyAsync(asked, (key, deal) => read.Add(key, deal), CancellationToken.None);

        var stored = deals.Where((_, i) => i % 4 == 2).ToList();
        Assert.Equal(stored.Count, read.Count);
        foreach (var deal in stored)
            Assert.Equivalent(deal, read[DealKey.Of(deal.Source, deal.ExternalId)], strict: true);
    }
}

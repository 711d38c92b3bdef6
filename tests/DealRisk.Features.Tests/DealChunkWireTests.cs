using System.Text.Json;
using System.Text.Json.Nodes;
using DealRisk.Contracts;
using MassTransit.Serialization;

namespace DealRisk.Features.Tests;

/// <summary>A batch chunk's deal references as MassTransit's serializer puts them on the wire, and as an earlier release did.</summary>
public sealed class DealChunkWireTests
{
    [Fact]
    public void A_chunks_deal_references_travel_as_one_compact_payload_and_read_back_in_order()
    {
        var chunk = Chunk(5_000);

        var json = JsonSerializer.Serialize(chunk, SystemTextJsonMessageSerializer.Options);
        var read = JsonSerializer.Deserialize<DealChunkSynced>(json, SystemTextJsonMessageSerializer.Options)!;

        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(json).RootElement.GetProperty("deals").ValueKind);
        Assert.Equal(chunk.Deals, read.Deals);
        var asObjects = JsonSerializer.Serialize(chunk.Deals, SystemTextJsonMessageSerializer.Options).Length;
        Assert.True(json.Length * 10 <= asObjects, $"{json.Length} characters sent where the references as objects take {asObjects}");
    }

    [Fact]
    public void A_chunk_whose_deal_references_an_earlier_release_sent_as_objects_is_read()
    {
        var chunk = Chunk(3);
        var earlier = JsonSerializer.SerializeToNode(chunk, SystemTextJsonMessageSerializer.Options)!.AsObject();
        earlier["deals"] = JsonSerializer.SerializeToNode(chunk.Deals.ToList(), SystemTextJsonMessageSerializer.Options);

        var read = earlier.Deserialize<DealChunkSynced>(SystemTextJsonMessageSerializer.Options)!;

        Assert.Equal(chunk.Deals, read.Deals);
    }

    [Fact]
    public void Damaged_deal_references_are_refused_as_an_invalid_payload()
    {
        var json = JsonSerializer.SerializeToNode(Chunk(10), SystemTextJsonMessageSerializer.Options)!.AsObject();
        var payload = Convert.FromBase64String(json["deals"]!.GetValue<string>());
        json["deals"] = Convert.ToBase64String(payload[..(payload.Length / 2)]);

        var refused = Assert.Throws<InvalidChunkPayloadException>(() => json.Deserialize<DealChunkSynced>(SystemTextJsonMessageSerializer.Options));

        Assert.Contains("DealRefColumns", refused.Message);
    }

    private static DealChunkSynced Chunk(int deals) => new()
    {
        BatchId = Guid.NewGuid(),
        CorrelationId = Guid.NewGuid(),
        AsOf = new DateOnly(2026, 12, 3),
        Part = DealChunkParts.Open,
        ChunkIndex = 7,
        HistoryChunkCount = 2,
        Deals = Enumerable.Range(0, deals)
            .Select(index => new DealRef { Source = index % 3 == 0 ? "salesforce" : "hubspot", ExternalId = $"deal-{index * 7919 % 100_003}", Version = 1 + index % 5 })
            .ToList(),
    };
}

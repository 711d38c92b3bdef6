using System.Buffers.Binary;
using DealRisk.Contracts;
using MemoryPack;
using static DealRisk.Scoring.Tests.Vectors;

namespace DealRisk.Scoring.Tests;

/// <summary>Batch chunk payloads travel as Zstandard frames, and a chunk sent plain by an earlier release still reads.</summary>
public sealed class ChunkPayloadTests
{
    [Fact]
    public void A_feature_chunk_travels_compressed_and_reads_back_value_for_value()
    {
        var chunk = ManyDeals(2_000);

        var payload = chunk.ToBytes();
        var read = FeatureChunk.Read(payload);

        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(payload));
        var plain = MemoryPackSerializer.Serialize(chunk);
        Assert.True(payload.Length * 3 <= plain.Length, $"{payload.Length} bytes sent for {plain.Length} plain");
        Assert.Equal(plain, MemoryPackSerializer.Serialize(read));
        Assert.True(double.IsNaN(read.Values[1]), "a missing feature stays missing");
    }

    [Fact]
    public void A_chunk_sent_plain_by_an_earlier_release_is_read()
    {
        var chunk = ManyDeals(10);

        var read = FeatureChunk.Read(MemoryPackSerializer.Serialize(chunk));

        Assert.Equal(MemoryPackSerializer.Serialize(chunk), MemoryPackSerializer.Serialize(read));
    }

    [Fact]
    public void A_frame_claiming_more_than_any_chunk_holds_is_refused_before_anything_is_allocated()
    {
        // Magic, a single-segment header with an 8-byte content size of 1 TiB, then one empty last block.
        var frame = new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0xE0, 0, 0, 0, 0, 0, 1, 0, 0, 0x01, 0, 0 };

        var refused = Assert.Throws<InvalidChunkPayloadException>(() => FeatureChunk.Read(frame));

        Assert.Contains("says it holds 1099511627776 bytes", refused.Message);
    }

    [Fact]
    public void A_damaged_frame_is_refused_as_an_invalid_payload()
    {
        var payload = ManyDeals(200).ToBytes();
        payload[payload.Length / 2] ^= 0xFF;
        payload[payload.Length / 2 + 1] ^= 0xFF;

        var refused = Assert.Throws<InvalidChunkPayloadException>(() => FeatureChunk.Read(payload));

        Assert.Contains("cannot be decoded", refused.Message);
    }

    [Fact]
    public void A_chunks_row_reads_its_deals_values_in_place_with_missing_ones_null_and_refuses_positions_outside_it()
    {
        var vectors = Enumerable.Range(0, 3).Select(i => Vector(Deal(DealStages.Demo, $"D-{i}"), ("deal_age_days", 10 * i + 1))).ToList();
        var chunk = FeatureChunk.Of(Names, vectors);

        var rows = Enumerable.Range(0, vectors.Count).Select(chunk.Row).ToList();

        for (var row = 0; row < vectors.Count; row++)
        {
            Assert.Equal(vectors[row].Deal.ExternalId, rows[row].Deal.ExternalId);
            Assert.Equal(vectors[row].Values, rows[row].Values);
            Assert.Equal(Names.Count, rows[row].Values.Count);
        }
        Assert.Equal(21, rows[2].Values[Names.ToList().IndexOf("deal_age_days")]);
        Assert.Contains(rows[1].Values, value => value is null);
        Assert.Throws<ArgumentOutOfRangeException>(() => rows[0].Values[Names.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => chunk.Row(vectors.Count));
    }

    private static FeatureChunk ManyDeals(int count) => FeatureChunk.Of(Names, [.. Enumerable.Range(0, count).Select(i =>
        Vector(Deal(i % 3 == 0 ? DealStages.Demo : DealStages.Negotiation, $"D-{i}") with { Version = i + 1 },
            ("deal_age_days", i % 120), ("rep_win_rate_percentile", i % 7 / 10.0)))]);
}

using System.Buffers.Binary;
using DealRisk.Contracts;
using DealRisk.ScoreHistory;
using MemoryPack;
using ZstdSharp;

namespace DealRisk.Storage.Tests;

public sealed class ScoreHistoryEncodingTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_flagged_models_score_is_stored_as_a_zstandard_frame_of_the_history_dictionary_a_third_of_its_plain_size_or_less_and_reads_back_whole()
    {
        var entry = FlaggedModelScore();

        var stored = ScoreHistoryEncoding.Encode(entry);
        var read = ScoreHistoryEncoding.Decode(stored);

        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(stored));
        Assert.True(stored.Length * 3 <= MemoryPackSerializer.Serialize(entry).Length,
            $"{stored.Length} bytes stored for {MemoryPackSerializer.Serialize(entry).Length} plain");
        Assert.Equal(MemoryPackSerializer.Serialize(entry), MemoryPackSerializer.Serialize(read));
        Assert.Equal(entry.Contributions!.Select(c => (c.Signal, c.Value, c.Points)), read.Contributions!.Select(c => (c.Signal, c.Value, c.Points)));
    }

    [Fact]
    public void Two_decoded_scores_share_their_signal_names_level_and_stage_strings()
    {
        var first = ScoreHistoryEncoding.Decode(ScoreHistoryEncoding.Encode(FlaggedModelScore()));
        var second = ScoreHistoryEncoding.Decode(ScoreHistoryEncoding.Encode(FlaggedModelScore()));

        Assert.Same(first.Level, second.Level);
        Assert.Same(first.Stage, second.Stage);
        Assert.Same(first.Contributions![0].Signal, second.Contributions![0].Signal);
        Assert.Same(first.Trigger.Kind, second.Trigger.Kind);
    }

    [Fact]
    public void A_score_stored_plain_by_an_earlier_release_reads_back()
    {
        var entry = FlaggedModelScore();

        var read = ScoreHistoryEncoding.Decode(MemoryPackSerializer.Serialize(entry));

        Assert.Equal(MemoryPackSerializer.Serialize(entry), MemoryPackSerializer.Serialize(read));
    }

    [Fact]
    public void A_score_compressed_without_the_history_dictionary_is_refused_naming_the_dictionary_it_needs()
    {
        using var compressor = new Compressor(3);
        var foreign = compressor.Wrap(MemoryPackSerializer.Serialize(FlaggedModelScore())).ToArray();

        var refused = Assert.Throws<InvalidDataException>(() => ScoreHistoryEncoding.Decode(foreign));

        Assert.Contains("dictionary 0", refused.Message);
    }

    [Fact]
    public void A_damaged_compressed_score_is_refused_as_unreadable_data()
    {
        var stored = ScoreHistoryEncoding.Encode(FlaggedModelScore());

        Assert.Throws<InvalidDataException>(() => ScoreHistoryEncoding.Decode(stored[..(stored.Length / 2)]));
    }

    private static ScoreHistoryEntry FlaggedModelScore()
    {
        var signals = RiskSignals.Catalogue;
        return new ScoreHistoryEntry
        {
            DealKey = DealKey.Of("hubspot", "18230455871"),
            Name = "Northwind Traders – Platform renewal",
            AsOf = AsOf,
            DealVersion = 41,
            Scorer = "model",
            ModelVersion = "fasttree-20261130-061502-a41c09",
            Score = 83,
            Level = RiskLevels.Critical,
            Stage = DealStages.Negotiation,
            DaysInStage = 37,
            Reasons = ["Negotiation stage 37 days", "No activity for 21 days", "Close date pushed 2 times"],
            Factors = [.. signals.Take(3).Select((signal, i) => new HistoryFactor(signal.Name, signal.ExampleValue, 12 - i, signal.Name))],
            Contributions = [.. signals.Select((signal, i) => new HistoryFactor(signal.Name, signal.ExampleValue + i, 0.37 * i - 2.1, null))],
            RawScore = 1.7342,
            Trigger = new HistoryTrigger(ScoreTrigger.CrmChangeKind, null, "hubspot-webhook", "delivery-7", AsOf,
                [new HistoryChange(AsOf, DealFields.Stage, DealStages.Proposal, DealStages.Negotiation)]),
            Action = "Book an executive sponsor meeting this week",
        };
    }
}

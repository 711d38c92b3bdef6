using System.Buffers;
using DealRisk.Contracts;
using MemoryPack;

namespace DealRisk.Scoring.Tests;

/// <summary>Strings of few values (stages, field names) read back as shared instances, and the bytes stay MemoryPack's own.</summary>
public sealed class PooledStringTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DealFields.Stage)]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Négociation – 契約")]
    [InlineData("a next step written out at some length, longer than any pooled value is allowed to be")]
    public void A_pooled_string_is_written_byte_for_byte_as_memorypack_writes_any_string_and_reads_back_from_either(string? value) =>
        AssertWrittenAsMemoryPackWritesAndReadBackFromEither(PooledStringFormatter.Default, value);

    [Fact]
    public void Two_deal_copies_read_from_their_bytes_share_their_stage_and_change_strings_and_keep_their_own_names()
    {
        var first = MemoryPackSerializer.Deserialize<DealSnapshot>(MemoryPackSerializer.Serialize(Deal("A-1", "Acme renewal")))!;
        var second = MemoryPackSerializer.Deserialize<DealSnapshot>(MemoryPackSerializer.Serialize(Deal("B-2", "Globex expansion")))!;

        Assert.Equal(DealStages.Negotiation, first.Stage);
        Assert.Same(first.Stage, second.Stage);
        Assert.Same(first.Owner, second.Owner);
        Assert.Same(first.History[0].Field, second.History[0].Field);
        Assert.Same(first.History[0].To, second.History[0].To);
        Assert.Equal(("Acme renewal", "Globex expansion"), (first.Name, second.Name));
    }

    [Fact]
    public void Past_the_pool_limit_every_value_still_reads_back_as_itself()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => $"value-{i}").ToList();

        var read = values.Select(value => ReadPooled(MemoryPackSerializer.Serialize(value))!).ToList();

        Assert.Equal(values, read);
    }

    [Fact]
    public void Values_alike_in_length_and_in_their_first_and_last_eight_bytes_read_back_as_themselves_and_shared()
    {
        var values = Enumerable.Range(0, 300).Select(i => $"feature_{i:D3}_in_days").ToList();

        var first = values.Select(value => ReadPooled(MemoryPackSerializer.Serialize(value))!).ToList();
        var again = values.Select(value => ReadPooled(MemoryPackSerializer.Serialize(value))!).ToList();

        Assert.Equal(values, first);
        Assert.All(values.Select((_, i) => (first[i], again[i])), pair => Assert.Same(pair.Item1, pair.Item2));
    }

    [Fact]
    public void A_string_of_invalid_utf8_reads_back_with_the_replacement_character_every_time()
    {
        var bytes = MemoryPackSerializer.Serialize("stage_x");
        bytes[^1] = 0xFF;

        Assert.Equal("stage_\uFFFD", ReadPooled(bytes));
        Assert.Equal("stage_\uFFFD", ReadPooled(bytes));
    }

    public static TheoryData<string[]?> FieldLists => new(new[] { DealFields.Amount, DealFields.CloseDate }, Array.Empty<string>(), null, new[] { "Négociation – 契約", "" });

    [Theory]
    [MemberData(nameof(FieldLists))]
    public void A_pooled_list_of_strings_is_written_byte_for_byte_as_memorypack_writes_any_list_and_reads_back_from_either(string[]? values) =>
        AssertWrittenAsMemoryPackWritesAndReadBackFromEither<IReadOnlyList<string>>(PooledStringListFormatter.Default, values is null ? null : new List<string>(values));

    [Fact]
    public void Two_deal_copies_share_their_field_names_and_one_empty_list()
    {
        var first = MemoryPackSerializer.Deserialize<DealSnapshot>(MemoryPackSerializer.Serialize(Deal("A-1", "Acme renewal") with { MissingFields = [DealDataQuality.Industry] }))!;
        var second = MemoryPackSerializer.Deserialize<DealSnapshot>(MemoryPackSerializer.Serialize(Deal("B-2", "Globex expansion") with { MissingFields = [DealDataQuality.Industry] }))!;

        Assert.Equal([DealDataQuality.Industry], first.MissingFields);
        Assert.Same(first.MissingFields[0], second.MissingFields[0]);
        Assert.Empty(first.UnavailableFields);
        Assert.Same(first.UnavailableFields, second.UntrackedFields);
    }

    private static DealSnapshot Deal(string id, string name) => new()
    {
        Source = "hubspot",
        ExternalId = id,
        Version = 3,
        Name = name,
        Owner = "rep_a",
        Stage = DealStages.Negotiation,
        CreatedAt = At.AddDays(-40),
        History = [new DealChange { At = At, Field = DealFields.Stage, From = DealStages.Proposal, To = DealStages.Negotiation }],
    };

    private static string? ReadPooled(byte[] bytes) => Read(PooledStringFormatter.Default, bytes);

    /// <summary>The formatter writes <paramref name="value"/> exactly as MemoryPack does and reads it back from MemoryPack's UTF-8 and UTF-16 forms.</summary>
    private static void AssertWrittenAsMemoryPackWritesAndReadBackFromEither<T>(MemoryPackFormatter<T> formatter, T? value)
    {
        Assert.Equal(MemoryPackSerializer.Serialize(value), Write(formatter, value));
        Assert.Equal(value, Read(formatter, MemoryPackSerializer.Serialize(value)));
        Assert.Equal(value, Read(formatter, MemoryPackSerializer.Serialize(value, MemoryPackSerializerOptions.Utf16)));
    }

    private static byte[] Write<T>(MemoryPackFormatter<T> formatter, T? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Default);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        formatter.Serialize(ref writer, ref value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static T? Read<T>(MemoryPackFormatter<T> formatter, byte[] bytes)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Default);
        var reader = new MemoryPackReader(bytes, state);
        T? value = default;
        formatter.Deserialize(ref reader, ref value);
        return value;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace DealRisk.Contracts.Json;

/// <summary>
/// A batch chunk's deal references on the wire: one binary payload (<see cref="DealRefColumns"/>, base64 in the JSON
/// envelope) instead of an object with three named properties per deal, about a fortieth of the bytes to write, carry,
/// store in the broker and parse. Still reads the array an earlier release sent.
/// </summary>
public sealed class DealRefsJsonConverter : JsonConverter<IReadOnlyList<DealRef>>
{
    public override IReadOnlyList<DealRef> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => DealRefColumns.Read(reader.GetBytesFromBase64()),
            JsonTokenType.StartArray => JsonSerializer.Deserialize<List<DealRef>>(ref reader, options)
                                        ?? throw new JsonException("The deal references are null."),
            _ => throw new JsonException($"Deal references are a binary payload or an array, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<DealRef> value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(DealRefColumns.ToBytes(value));
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using DealRisk.Contracts;

namespace DealRisk.Contracts.Json;

/// <summary>
/// The native export: one camelCase JSON object per line (UTF-8, '\n'), DateOnly as yyyy-MM-dd,
/// nulls left out. Both directions stream; neither ever holds the whole file.
/// </summary>
public static class DealJsonLines
{
    private const int FlushThreshold = 256 * 1024;

    /// <summary>Web defaults, nulls omitted, non-ASCII text kept readable. Read-only: copy it to change anything.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static readonly JsonTypeInfo<DealSnapshot> DealTypeInfo = (JsonTypeInfo<DealSnapshot>)Options.GetTypeInfo(typeof(DealSnapshot));

    public static async Task WriteAsync(IEnumerable<DealSnapshot> deals, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deals);
        ArgumentNullException.ThrowIfNull(stream);

        var buffer = new ArrayBufferWriter<byte>(FlushThreshold + 64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder });
        foreach (var deal in deals)
        {
            ArgumentNullException.ThrowIfNull(deal, nameof(deals));
            JsonSerializer.Serialize(writer, deal, DealTypeInfo);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= FlushThreshold)
            {
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }
        if (buffer.WrittenCount > 0)
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lines longer than this (in characters) are reported and skipped, never held whole.</summary>
    public const int DefaultMaxLineLength = 1024 * 1024;

    /// <summary>
    /// Reads line by line; a malformed line comes back with its 1-based number and the error, and reading
    /// goes on, so a caller can keep the good lines and report the bad ones. Blank lines are skipped. A line longer
    /// than <paramref name="maxLineLength"/> is skipped with an error without being held in memory.
    /// </summary>
    public static async IAsyncEnumerable<DealJsonLine> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(stream);

        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var buffer = new char[64 * 1024];
        var line = new StringBuilder();
        var lineNumber = 1L;
        long overflowLength = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                    continue;
                if (Complete(line, buffer.AsSpan(start, i - start), lineNumber, ref overflowLength, maxLineLength) is { } complete)
                    yield return complete;
                lineNumber++;
                start = i + 1;
            }
            Append(line, buffer.AsSpan(start, read - start), ref overflowLength, maxLineLength);
        }
        if (Complete(line, [], lineNumber, ref overflowLength, maxLineLength) is { } last)
            yield return last;
    }

    private static void Append(StringBuilder line, ReadOnlySpan<char> text, ref long overflowLength, int maxLineLength)
    {
        if (overflowLength > 0 || line.Length + text.Length > maxLineLength)
        {
            overflowLength += line.Length + text.Length;
            line.Clear();
            return;
        }
        line.Append(text);
    }

    private static DealJsonLine? Complete(StringBuilder line, ReadOnlySpan<char> rest, long lineNumber, ref long overflowLength, int maxLineLength)
    {
        Append(line, rest, ref overflowLength, maxLineLength);
        if (overflowLength > 0)
        {
            var length = overflowLength;
            overflowLength = 0;
            return new DealJsonLine(lineNumber, null, $"Line {lineNumber}: {length:N0} characters long; a line holds at most {maxLineLength:N0}.");
        }
        var text = line.ToString().TrimEnd('\r');
        line.Clear();
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text, lineNumber);
    }

    private static DealJsonLine Parse(string line, long lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize(line, DealTypeInfo) is { } deal
                ? new DealJsonLine(lineNumber, deal, null)
                : new DealJsonLine(lineNumber, null, $"Line {lineNumber}: expected a deal object, found null.");
        }
        catch (JsonException exception)
        {
            return new DealJsonLine(lineNumber, null, $"Line {lineNumber}: {exception.Message}");
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}

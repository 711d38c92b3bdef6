using System.Text;

namespace DealRisk.Ingestion.Imports;

/// <summary>
/// Exports from older CRMs and from Excel are often Windows-1252 (Latin-1) rather than UTF-8. Input is decoded as
/// UTF-8 wherever it is valid UTF-8, and every byte sequence that is not is decoded as Windows-1252: a Latin-1 file
/// reads correctly, a UTF-8 file is untouched, and the decision is made as the stream goes, without reading it twice.
/// </summary>
public static class TextEncodingFallback
{
    private static readonly Encoding Windows1252 = CreateWindows1252();

    public static readonly Encoding Utf8OrWindows1252 =
        Encoding.GetEncoding(Encoding.UTF8.CodePage, EncoderFallback.ReplacementFallback, new Windows1252DecoderFallback());

    /// <summary>The input as strict UTF-8 bytes, whatever mix of UTF-8 and Windows-1252 it was written in.</summary>
    public static Stream AsUtf8(Stream input) =>
        Encoding.CreateTranscodingStream(input, Utf8OrWindows1252, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    private sealed class Windows1252DecoderFallback : DecoderFallback
    {
        public override int MaxCharCount => 4;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private string _chars = "";
            private int _position;

            public override int Remaining => _chars.Length - _position;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _chars = Windows1252.GetString(bytesUnknown);
                _position = 0;
                return _chars.Length > 0;
            }

            public override char GetNextChar() => _position < _chars.Length ? _chars[_position++] : '\0';

            public override bool MovePrevious()
            {
                if (_position == 0) return false;
                _position--;
                return true;
            }

            public override void Reset()
            {
                _chars = "";
                _position = 0;
            }
        }
    }
}

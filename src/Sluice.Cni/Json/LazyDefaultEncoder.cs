using System.Text.Encodings.Web;

namespace Sluice.Cni.Json;

/// <summary>
/// <see cref="JavaScriptEncoder.Default"/>'s escaping (what the serializer applies when no encoder
/// is set), without building its tables up front: creating <see cref="JavaScriptEncoder.Default"/>
/// costs about a million instructions, more than writing a result. Strings are scanned here for
/// what Default escapes (anything outside printable ASCII, and <c>" &amp; ' + &lt; &gt; \ `</c>);
/// only a string that has such a character reaches Default to be escaped.
/// </summary>
public sealed class LazyDefaultEncoder : JavaScriptEncoder
{
    public static LazyDefaultEncoder Instance { get; } = new();

    public override int MaxOutputCharactersPerInputCharacter => Default.MaxOutputCharactersPerInputCharacter;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < textLength; i++)
        {
            if (NeedsEscaping(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        for (var i = 0; i < utf8Text.Length; i++)
        {
            if (NeedsEscaping(utf8Text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        Default.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    public override bool WillEncode(int unicodeScalar) => unicodeScalar > char.MaxValue || NeedsEscaping((char)unicodeScalar);

    private static bool NeedsEscaping(int c) =>
        c is < 0x20 or > 0x7E or '"' or '&' or '\'' or '+' or '<' or '>' or '\\' or '`';
}

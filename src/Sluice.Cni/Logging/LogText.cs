using System.Globalization;
using System.Text;

namespace Sluice.Cni.Logging;

/// <summary>
/// Makes a logged value one line whatever it holds: control characters (C0, DEL, C1) and the
/// Unicode line and paragraph separators become visible escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>,
/// <c>\x1b</c>, <c>\u2028</c>), so a newline in an annotation, a pod name, a configuration value
/// or an error text can never start a forged record in a log file, on stderr, or at the agent.
/// </summary>
public static class LogText
{
    /// <summary><paramref name="value"/> with its control characters escaped; the same string when it has none.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var first = FirstUnsafe(value);
        if (first < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16).Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (!IsUnsafe(c))
            {
                text.Append(c);
                continue;
            }

            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c <= 0xff => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return text.ToString();
    }

    private static int FirstUnsafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (IsUnsafe(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}

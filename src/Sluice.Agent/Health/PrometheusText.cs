using System.Text;

namespace Sluice.Agent.Health;

/// <summary>Prometheus' text exposition format: label values escaped as it requires (backslash, double quote, line feed).</summary>
public static class PrometheusText
{
    /// <summary><paramref name="value"/> as a label value, without the quotes.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}

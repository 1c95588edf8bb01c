using System.Globalization;
using System.Text;

namespace Sluice.Agent.Health;

/// <summary>
/// One Prometheus histogram series of durations in seconds: cumulative counts per bucket bound,
/// the sum and the count, rendered under a metric name and labels the caller gives. Not
/// thread-safe: the owner locks around <see cref="Observe"/> and <see cref="Render"/>.
/// </summary>
internal sealed class DurationHistogram(double[] buckets)
{
    private readonly long[] _counts = new long[buckets.Length];
    private long _count;
    private double _sum;

    public long Count => _count;

    public void Observe(double seconds)
    {
        for (var i = 0; i < buckets.Length; i++)
        {
            if (seconds <= buckets[i])
            {
                _counts[i]++;
            }
        }

        _count++;
        _sum += seconds;
    }

    /// <summary>Appends the series' bucket, sum and count lines; <paramref name="labels"/> is the label text without braces, already escaped.</summary>
    public void Render(StringBuilder text, string name, string labels)
    {
        var separator = labels.Length == 0 ? "" : ",";
        for (var i = 0; i < buckets.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{separator}le=\"{buckets[i]}\"}} {_counts[i]}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {_count}\n");
        var braces = labels.Length == 0 ? "" : $"{{{labels}}}";
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {_sum}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {_count}\n");
    }
}

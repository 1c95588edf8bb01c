using System.Text;

namespace Sluice.Agent.Pods;

/// <summary>
/// How long the agent took to answer sluice-redirect's pod lookups, from accepting the connection
/// to the answer's last byte sent, by answer: <c>200</c>, <c>404</c>, <c>503</c>, <c>400</c>, or
/// <c>none</c> when no answer was sent (the connection ended first, or the lookup failed in the
/// agent). The plugin waits for this inside
/// every ADD of a pod; the time a lookup waited to be accepted (a busy node's scheduling) is the
/// plugin's to see, not in here.
/// </summary>
public sealed class PodLookupMetrics
{
    public const string Name = "sluice_agent_pod_lookup_duration_seconds";

    /// <summary>Bucket bounds in seconds: from the cache a lookup is tens of microseconds; one that asks the API server is milliseconds to its 10 s bound.</summary>
    public static readonly double[] Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1, 1, 10];

    private static readonly string[] Results = ["200", "400", "404", "503", "none"];

    private readonly Lock _lock = new();
    private readonly Health.DurationHistogram[] _histograms = Results.Select(_ => new Health.DurationHistogram(Buckets)).ToArray();

    /// <summary>Records one lookup; <paramref name="answer"/> is the answer line's status, or null when none was sent.</summary>
    public void Record(string? answer, double seconds)
    {
        var index = Array.IndexOf(Results, answer ?? "none");
        lock (_lock)
        {
            _histograms[index < 0 ? Results.Length - 1 : index].Observe(seconds);
        }
    }

    /// <summary>How many lookups got <paramref name="answer"/> (0 for a label this metric does not have).</summary>
    public long Count(string answer)
    {
        var index = Array.IndexOf(Results, answer);
        lock (_lock)
        {
            return index < 0 ? 0 : _histograms[index].Count;
        }
    }

    public void Render(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append($"# HELP {Name} Time from accepting a pod lookup to its answer sent, by answer (none: no answer sent, the connection ended first or the lookup failed).\n# TYPE {Name} histogram\n");
        lock (_lock)
        {
            for (var i = 0; i < Results.Length; i++)
            {
                _histograms[i].Render(text, Name, $"answer=\"{Results[i]}\"");
            }
        }
    }
}

namespace Sluice.Bench;

/// <summary>Summary statistics of a set of timings, in milliseconds.</summary>
internal sealed record Stats(int Runs, double Median, double P10, double P90, double Min, double P99)
{
    public static Stats Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
        return new Stats(sorted.Length, At(0.5), At(0.1), At(0.9), sorted[0], At(0.99));
    }

    public override string ToString() => $"median {Median:F2} ms (p10 {P10:F2}, p90 {P90:F2}, n={Runs})";
}

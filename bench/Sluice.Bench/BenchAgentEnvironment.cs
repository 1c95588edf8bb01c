namespace Sluice.Bench;

/// <summary>Extra variables for the agent under test from BENCH_AGENT_ENV (<c>NAME=VALUE</c>, space-separated), e.g. runtime knobs to compare.</summary>
internal static class BenchAgentEnvironment
{
    public static string? Text => Environment.GetEnvironmentVariable("BENCH_AGENT_ENV") is { Length: > 0 } text ? text : null;

    public static (string Key, string Value)[] Read() =>
        (Text ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => pair.Length == 2 ? (pair[0], pair[1]) : throw new ArgumentException($"BENCH_AGENT_ENV: '{pair[0]}' is not NAME=VALUE"))
            .ToArray();
}

using Sluice.TestSupport;

namespace Sluice.Demo;

/// <summary>What an operator would type to look around, run for them: commands inside a namespace.</summary>
internal static class Show
{
    /// <summary>Runs <paramref name="command"/> inside <paramref name="ns"/> (<c>ip netns exec</c>) and returns its output.</summary>
    public static string In(TestNetns ns, params string[] command)
    {
        var result = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", ns.Name, .. command], inheritEnvironment: true);
        return result.ExitCode == 0 ? result.Stdout : throw new DemoFailure($"{string.Join(' ', command)} in {ns.Name}: {result}");
    }
}

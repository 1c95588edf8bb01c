namespace Sluice.Host;

/// <summary>
/// Picks the component from the name the binary was run under (argv[0]), so one NativeAOT
/// executable serves several component names, as Calico's multi-call binary does;
/// <c>BINARY &lt;name&gt; …</c> works too, and <c>BINARY --components</c> lists the names (the
/// Makefile installs the binary under each). Compiled into each host project that serves more
/// than one name (Sluice.Host, Sluice.Bridge.Host).
/// </summary>
internal static class Multicall
{
    public static int Run(string[] commandLine, IReadOnlyDictionary<string, Func<string[], int>> components)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(components);
        var invokedAs = Path.GetFileName(commandLine.Length > 0 ? commandLine[0] : "sluice");
        if (components.TryGetValue(invokedAs, out var component))
        {
            return component(commandLine[1..]);
        }

        if (commandLine.Length > 1 && components.TryGetValue(commandLine[1], out component))
        {
            return component(commandLine[2..]);
        }

        var names = components.Keys.Order(StringComparer.Ordinal).ToList();
        if (commandLine is [_, "--components"])
        {
            foreach (var name in names)
            {
                Console.WriteLine(name);
            }

            return 0;
        }

        Console.Error.WriteLine($"""
            Usage: {invokedAs} COMPONENT [ARGS...]
            This is one of Sluice's multi-call binaries. Install it (or link to it) under the name of a component,
            or name the component as the first argument. Components:
              {string.Join("\n  ", names)}
            """);
        return 2;
    }
}

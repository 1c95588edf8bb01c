namespace Sluice.Host;

/// <summary>
/// Picks the component from the name the binary was run under (argv[0]), so one NativeAOT
/// executable serves as the agent, sluice-bridge, sluice-ipam, sluice-portmap, sluice-iptables and sluice-kube
/// (the API lookups sluice-redirect hands off); <c>sluice &lt;name&gt; …</c> works too.
/// sluice-redirect is an executable of its own.
/// </summary>
internal static class Multicall
{
    private static readonly Dictionary<string, Func<string[], int>> Components = new(StringComparer.Ordinal)
    {
        [IpamPlugin.IpamPlugin.Name] = _ => IpamPlugin.IpamPlugin.Main(),
        [Bridge.BridgePlugin.Name] = _ => Bridge.BridgePlugin.Main(),
        [Portmap.PortmapPlugin.Name] = _ => Portmap.PortmapPlugin.Main(),
        [CaptureTool.SluiceIptables.Name] = CaptureTool.SluiceIptables.Main,
        [Agent.AgentProgram.Name] = Agent.AgentProgram.Main,
        [KubeTool.SluiceKube.Name] = KubeTool.SluiceKube.Main,
    };

    public static int Run(string[] commandLine)
    {
        var invokedAs = Path.GetFileName(commandLine.Length > 0 ? commandLine[0] : "sluice");
        if (Components.TryGetValue(invokedAs, out var component))
        {
            return component(commandLine[1..]);
        }

        if (commandLine.Length > 1 && Components.TryGetValue(commandLine[1], out component))
        {
            return component(commandLine[2..]);
        }

        if (commandLine is [_, "--components"])
        {
            foreach (var name in Components.Keys.Order(StringComparer.Ordinal))
            {
                Console.WriteLine(name);
            }

            return 0;
        }

        Console.Error.WriteLine($"""
            Usage: {invokedAs} COMPONENT [ARGS...]
            This is Sluice's multi-call binary. Install it (or link to it) under the name of a component,
            or name the component as the first argument. Components:
              {string.Join("\n  ", Components.Keys.Order(StringComparer.Ordinal))}
            """);
        return 2;
    }
}

using System.Globalization;
using Sluice.Bench;

var scenario = args.Length > 0 ? args[0] : "all";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var known = new Dictionary<string, Action>
{
    ["version"] = () => VersionBench.Run(runs),
    ["netlink"] = () => NetlinkBench.Run(runs),
    ["bridge"] = () => BridgeBench.Run(args.Length > 1 ? runs : 100),
    ["capture"] = () => CaptureBench.Run(args.Length > 1 ? runs : 100),
    ["redirect"] = () => RedirectBench.Run(args.Length > 1 ? runs : 100),
    ["portmap"] = () => PortmapBench.Run(args.Length > 1 ? runs : 100),
    ["agent"] = () => AgentBench.Run(args.Length > 1 ? runs : 50),
    ["kube"] = () => KubeBench.Run(args.Length > 1 ? runs : 100),
    ["repair"] = () => RepairBench.Run(args.Length > 1 ? runs : 100),
    ["podjson"] = () => PodJsonBench.Run(args.Length > 1 ? runs : 200),
    ["scale"] = () => ScaleBench.Run(args.Length > 1 ? runs : 5000),
    ["throughput"] = () => ThroughputBench.Run(args.Length > 1 ? runs : 5),
    ["sandbox"] = () => SandboxBench.Run(args.Length > 1 ? runs : 100),
};

if (scenario == "all")
{
    foreach (var run in known.Values)
    {
        run();
    }

    return 0;
}

if (!known.TryGetValue(scenario, out var selected))
{
    Console.Error.WriteLine($"usage: Sluice.Bench [all|{string.Join('|', known.Keys)}] [runs]");
    return 2;
}

selected();
return 0;

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Agent.Install;

/// <summary>
/// The configuration files the agent writes when it is not chaining into another plugin's: the
/// pod network (sluice-bridge on this node's pod CIDRs, sluice-redirect chained after it when
/// chained) or sluice-redirect alone. Pure and deterministic: the same inputs give the same
/// bytes, so an unchanged file is never rewritten.
/// </summary>
public static class OwnConfList
{
    /// <summary>The network name of the pod network Sluice writes (also the IPAM store's directory).</summary>
    public const string PodNetworkName = "sluice";

    /// <summary>libcni in containerd 1.6 and CRI-O knows up to 1.0.0; every Sluice plugin answers it.</summary>
    public const string CniVersion = "1.0.0";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, TypeInfoResolver = AgentJsonContext.Default };

    /// <summary>[sluice-bridge] or [sluice-bridge, sluice-redirect] for this node's pod CIDRs; without <paramref name="mtu"/> sluice-bridge keeps its default.</summary>
    public static string PodNetwork(IReadOnlyList<IPNetwork> podCidrs, IReadOnlyList<IPNetwork> clusterCidrs, string ipamDataDir, string logSocket, JsonObject? redirect, int? mtu = null)
    {
        ArgumentNullException.ThrowIfNull(podCidrs);
        ArgumentNullException.ThrowIfNull(clusterCidrs);
        var ranges = new JsonArray(podCidrs.Select(c => (JsonNode?)new JsonArray(new JsonObject { ["subnet"] = c.ToString() })).ToArray());
        var bridge = new JsonObject
        {
            ["type"] = "sluice-bridge",
            ["bridge"] = "sluice0",
            ["isGateway"] = true,
            ["isDefaultGateway"] = true,
            ["ipMasq"] = true,
            ["hairpinMode"] = true,
            ["clusterCidrs"] = new JsonArray(clusterCidrs.Select(c => (JsonNode?)JsonValue.Create(c.ToString())).ToArray()),
            ["ipam"] = new JsonObject { ["type"] = "sluice-ipam", ["ranges"] = ranges, ["dataDir"] = ipamDataDir },
            // hostPort: kubelet passes a pod's hostPorts through the runtime to the plugin that
            // declares the capability; sluice-bridge maps them itself, one process per pod fewer
            // than sluice-portmap chained after it. Its hairpin mode lets a pod reach its own hostPort.
            ["capabilities"] = new JsonObject { ["portMappings"] = true },
            ["logSocket"] = logSocket,
        };
        if (mtu is { } value)
        {
            bridge.Insert(2, "mtu", value);
        }

        return List(PodNetworkName, redirect is null ? [bridge] : [bridge, redirect.DeepClone()]);
    }

    /// <summary>sluice-redirect alone, for a meta plugin (Multus) or a runtime configured to chain it itself.</summary>
    public static string RedirectOnly(JsonObject redirect)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        return List(Install.ChainedConfList.PluginType, [redirect.DeepClone()]);
    }

    private static string List(string name, JsonNode[] plugins) =>
        new JsonObject { ["cniVersion"] = CniVersion, ["name"] = name, ["plugins"] = new JsonArray(plugins) }.ToJsonString(Indented) + "\n";
}

using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>What PodSandboxStatus (verbose) says about a sandbox.</summary>
internal sealed record SandboxStatus(JsonNode Status, JsonNode Info)
{
    public string State => (string?)Status["state"] ?? "SANDBOX_READY";

    /// <summary>The pod IPs the CRI reports (the first, then the additional ones).</summary>
    public IReadOnlyList<IPAddress> Ips
    {
        get
        {
            var network = Status["network"];
            if (network?["ip"] is null)
            {
                return [];
            }

            var additional = network["additional_ips"]?.AsArray().Select(ip => (string)ip!["ip"]!) ?? [];
            return [IPAddress.Parse((string)network["ip"]!), .. additional.Select(IPAddress.Parse)];
        }
    }

    /// <summary>The sandbox's network namespace, from the OCI runtime spec containerd generated.</summary>
    public string NetnsPath =>
        Info["runtimeSpec"]!["linux"]!["namespaces"]!.AsArray()
            .Select(ns => ns!)
            .Single(ns => (string)ns["type"]! == "network")["path"]!.GetValue<string>();

    /// <summary>Interfaces of the CNI result that are not in the sandbox: the node side (bridge, host veth).</summary>
    public IReadOnlyList<string> NodeSideInterfaces =>
        Info["cniResult"]!["Interfaces"]!.AsObject()
            .Where(entry => string.IsNullOrEmpty((string?)entry.Value!["Sandbox"]))
            .Select(entry => entry.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
}

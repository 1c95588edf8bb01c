using System.Net;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Net;

namespace Sluice.Bridge.Tests;

/// <summary>
/// A node namespace running sluice-bridge, pods as namespaces, an optional "outside" namespace
/// reachable only through the node, and an IPAM store in a temporary directory. All removed on dispose.
/// </summary>
internal sealed class Testbed : IDisposable
{
    public const string OutsideV4 = "192.0.2.2";
    public const string NodeUplinkV4 = "192.0.2.1";
    public const string OutsideV6 = "2001:db8:2::2";

    private readonly List<TestNetns> _pods = [];
    private readonly TempDirectory _dir = new("sluice-bridge");
    private TestNetns? _outside;

    public Testbed(string subnet4 = "10.44.0.0/24", string? subnet6 = "fd44::/64")
    {
        Node = TestNetns.Create("node");
        NodeNs = Node.Open();
        Subnet4 = subnet4;
        Subnet6 = subnet6;
    }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public string Subnet4 { get; }

    public string? Subnet6 { get; }

    public string DataDir => _dir.Combine("ipam");

    /// <summary>The test's own temporary directory (removed on dispose).</summary>
    public string TempPath => _dir.Path;

    public static string Binary => RepoPaths.Binary("sluice-bridge");

    public string Config(string extra = "", string version = "1.1.0", string ipam = "") =>
        $$"""
        {"cniVersion":"{{version}}","name":"podnet","type":"sluice-bridge","bridge":"sluice0",
         "isGateway":true,"isDefaultGateway":true,"ipMasq":true{{extra}},
         "ipam":{{(ipam.Length > 0 ? ipam : IpamSection())}}}
        """;

    public string IpamSection() =>
        $$"""{"type":"sluice-ipam","ranges":[[{"subnet":"{{Subnet4}}"}]{{(Subnet6 is null ? "" : $$""",[{"subnet":"{{Subnet6}}"}]""")}}],"dataDir":"{{DataDir}}"}""";

    public TestNetns NewPod(string role = "pod")
    {
        var pod = TestNetns.Create(role);
        _pods.Add(pod);
        return pod;
    }

    /// <summary>Runs the published sluice-bridge (or <paramref name="binary"/> in its place) in the node namespace.</summary>
    public ProcessResult Run(string command, string containerId, string netns, string config, string ifName = "eth0", string args = "", TimeSpan? timeout = null, string? binary = null)
    {
        var env = new CniInvocation(command, containerId, netns, ifName, args, RepoPaths.BinDirectory + ":/usr/lib/cni").Environment();
        return ProcessRunner.RunIn(NodeNs, binary ?? Binary, env, config, timeout: timeout);
    }

    public JsonObject Add(TestNetns pod, string containerId, string? config = null, string ifName = "eth0")
    {
        var result = Run("ADD", containerId, pod.Path, config ?? Config(), ifName);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    public void Del(string containerId, string netns, string? config = null, string ifName = "eth0")
    {
        var result = Run("DEL", containerId, netns, config ?? Config(), ifName);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>A namespace linked to the node by a veth, with no route back to the pods: only masquerade gets replies home.</summary>
    public TestNetns Outside()
    {
        if (_outside is not null)
        {
            return _outside;
        }

        _outside = TestNetns.Create("out");
        using var outsideNs = _outside.Open();
        using var node = Rtnl.OpenIn(NodeNs);
        using var outside = Rtnl.OpenIn(outsideNs);
        node.CreateVeth("uplink0", "eth0", outsideNs);
        var up = node.GetLink("uplink0");
        var eth0 = outside.GetLink("eth0");
        node.AddAddress(up.Index, IPAddress.Parse(NodeUplinkV4), 24);
        node.AddAddress(up.Index, IPAddress.Parse("2001:db8:2::1"), 64, AddressFlags.NoDad);
        outside.AddAddress(eth0.Index, IPAddress.Parse(OutsideV4), 24);
        outside.AddAddress(eth0.Index, IPAddress.Parse(OutsideV6), 64, AddressFlags.NoDad);
        node.SetUp(up.Index);
        outside.SetUp(eth0.Index);
        outside.SetUp(outside.GetLink("lo").Index);
        return _outside;
    }

    /// <summary>
    /// Links in the node namespace, by name, leaving out veths DEL released: they go with their
    /// pod's namespace (docs/bridge.md, "DEL"), which most tests keep until they end.
    /// </summary>
    public IReadOnlyList<string> NodeLinks() => AllNodeLinks(includeReleased: false);

    private List<string> AllNodeLinks(bool includeReleased = true)
    {
        using var node = Rtnl.OpenIn(NodeNs);
        return node.ListLinks()
            .Where(l => includeReleased || AttachmentNames.ParseReleasedTag(l.Alias, "podnet") is null)
            .Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Links in the node namespace once the kernel has torn down the namespaces a test removed:
    /// a veth DEL released goes with its pod's namespace, which the kernel cleans up in the
    /// background after the last reference is gone. Waits until the list equals
    /// <paramref name="expected"/> or 10 s have passed, and returns the last list seen.
    /// </summary>
    public IReadOnlyList<string> NodeLinksSettled(IReadOnlyList<string> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var links = AllNodeLinks();
        while (!links.SequenceEqual(expected) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            links = AllNodeLinks();
        }

        return links;
    }

    /// <summary>Address files in the IPAM store.</summary>
    public IReadOnlyList<string> Allocations()
    {
        var dir = Path.Combine(DataDir, "podnet");
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(n => Sluice.Net.IpText.TryParse(n, out _)).Select(n => n!).ToList()
            : [];
    }

    /// <summary>The node's firewall as text (nft ruleset, then iptables-save of both variants and families).</summary>
    public string Firewall() =>
        Node.Exec("nft", "list", "ruleset") +
        Node.TryExec("iptables-legacy-save").Stdout + Node.TryExec("ip6tables-legacy-save").Stdout +
        Node.TryExec("iptables-nft-save").Stdout + Node.TryExec("ip6tables-nft-save").Stdout;

    public void Dispose()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }

        _outside?.Dispose();
        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }
}

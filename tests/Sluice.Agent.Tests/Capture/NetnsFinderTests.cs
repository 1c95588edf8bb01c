using System.Net;
using Sluice.Agent.Capture.Netns;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Redirect;
using static Sluice.Agent.Tests.Capture.CapturePods;

namespace Sluice.Agent.Tests.Capture;

/// <summary>Finding a pod's namespace: the plugin's records first, else the one namespace holding all its addresses.</summary>
public sealed class NetnsFinderTests : IDisposable
{
    private readonly TempDirectory _dir = new("netns-finder");
    private readonly List<TestNetns> _namespaces = [];

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        _dir.Dispose();
    }

    private string Records => _dir.Combine("sandboxes");

    private NetnsFinder Finder(IReadOnlyList<string>? netnsDirs = null, string? procDir = null, IReadOnlySet<string>? forbidden = null) =>
        new(Records, netnsDirs ?? [], procDir, forbidden ?? new HashSet<string>(), new AgentLog(TextWriter.Null, "error"));

    private void Record(string containerId, string netns, string ns, string name, string? uid, DateTime? written = null)
    {
        Directory.CreateDirectory(Records);
        var path = Path.Combine(Records, containerId + ".json");
        File.WriteAllBytes(path, new SandboxRecord(containerId, netns, ns, name, uid).ToJson());
        File.SetLastWriteTimeUtc(path, written ?? DateTime.UtcNow);
    }

    [Fact]
    public void Find_APodWithRecords_OffersTheirNamespacesNewestFirst_AndOnlyForItsUid()
    {
        var pod = Read(SamplePods.Istio("shop", "reviews"));
        Record("old", "/run/netns/cni-old", "shop", "reviews", null, DateTime.UtcNow.AddMinutes(-5));
        Record("new", "/run/netns/cni-new", "shop", "reviews", pod.Metadata.Uid);
        Record("predecessor", "/run/netns/cni-gone", "shop", "reviews", "another-uid");
        Record("neighbour", "/run/netns/cni-b", "shop", "ratings", null);

        var found = Finder().Find(pod, search: true);

        Assert.Equal(["/run/netns/cni-new", "/run/netns/cni-old"], found.Select(c => c.Path));
        Assert.All(found, c => Assert.True(c.FromRecord));
        Assert.Equal("sandbox record new", found[0].Source);
    }

    [Fact]
    public void Find_ARecordNamingAProcessNamespace_IsOfferedOnlyWhenThePodHasAddressesToConfirmIt()
    {
        var pending = Read(SamplePods.Istio("shop", "reviews"));
        Record("c1", "/proc/4242/ns/net", "shop", "reviews", null);
        var finder = Finder(procDir: "/proc");

        Assert.Empty(finder.Find(pending, search: false));
        Assert.Equal(["/proc/4242/ns/net"], finder.Find(Running(SamplePods.Istio("shop", "reviews"), "10.1.0.9"), search: false).Select(c => c.Path));
    }

    [Fact]
    public void Find_WithoutRecordsOrAddresses_OffersNothing() =>
        Assert.Empty(Finder().Find(Read(SamplePods.Istio("shop", "reviews")), search: true));

    [Fact]
    public void Addresses_ReadPodIpsAndPodIp_WithoutDuplicatesOrGarbage()
    {
        var pod = Edited(SamplePods.Plain("a", "b"), p => p["status"] = System.Text.Json.Nodes.JsonNode.Parse("""{"podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"},{"ip":"fd00::5"},{"ip":"not-an-ip"}]}"""));

        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")], NetnsFinder.Addresses(pod));
    }

    private static void AddAddress(TestNetns ns, string address)
    {
        using var netNs = ns.Open();
        using var rtnl = Rtnl.OpenIn(netNs);
        rtnl.AddAddress(rtnl.GetLink("lo").Index, IPAddress.Parse(address), 32, AddressFlags.NoDad);
    }

    private (TestNetns Ns, string Identity) Namespace(params string[] addresses)
    {
        var ns = TestNetns.Create("finder");
        _namespaces.Add(ns);
        using var netNs = ns.Open();
        using var rtnl = Rtnl.OpenIn(netNs);
        var lo = rtnl.GetLink("lo").Index;
        rtnl.SetUp(lo);
        foreach (var address in addresses)
        {
            var ip = IPAddress.Parse(address);
            rtnl.AddAddress(lo, ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128, AddressFlags.NoDad);
        }

        return (ns, netNs.Identity());
    }

    [RootFact]
    public void Find_APodThePluginNeverSaw_IsTheOneNamespaceHoldingAllItsAddresses()
    {
        Namespace("10.251.0.7");
        var (target, _) = Namespace("10.251.0.8", "fd51::8");
        Namespace("10.251.0.9", "fd51::8");
        var pod = Running(SamplePods.Istio("shop", "reviews"), "10.251.0.8", "fd51::8");

        var found = Finder(netnsDirs: ["/run/netns"]).Find(pod, search: true);

        Assert.Equal([target.Path], found.Select(c => c.Path));
        Assert.False(found[0].FromRecord);
        Assert.Equal("named netns", found[0].Source);
    }

    [RootFact]
    public void Find_WhenTwoNamespacesHoldTheAddresses_OffersNeither()
    {
        Namespace("10.251.1.8");
        Namespace("10.251.1.8");

        Assert.Empty(Finder(netnsDirs: ["/run/netns"]).Find(Running(SamplePods.Istio("shop", "reviews"), "10.251.1.8"), search: true));
    }

    [RootFact]
    public void Find_WhenTwoNamespacesHoldTheAddresses_OffersTheOneWhoseVethLeadsToThisNode()
    {
        // Another node's pod with the same address, its named namespace on the same machine.
        var (here, _) = Namespace("10.251.6.8");
        var (elsewhere, _) = Namespace("10.251.6.8");
        using var node = TestNetns.Create("fnode");
        using var other = TestNetns.Create("fother");
        using var nodeNs = node.Open();
        using var otherNs = other.Open();
        using (var hereNs = here.Open())
        using (var rtnl = Rtnl.OpenIn(nodeNs))
        {
            rtnl.CreateVeth("vhere", "eth0", hereNs);
        }

        using (var elsewhereNs = elsewhere.Open())
        using (var rtnl = Rtnl.OpenIn(otherNs))
        {
            rtnl.CreateVeth("vthere", "eth0", elsewhereNs);
        }

        var pod = Running(SamplePods.Istio("shop", "reviews"), "10.251.6.8");

        var found = nodeNs.Run(() => Finder(netnsDirs: ["/run/netns"]).Find(pod, search: true));

        Assert.Equal([here.Path], found.Select(c => c.Path));
    }

    [RootFact]
    public void Find_NeverOffersAForbiddenNamespace_NorSearchesWhenTold()
    {
        var (_, identity) = Namespace("10.251.2.8");
        var pod = Running(SamplePods.Istio("shop", "reviews"), "10.251.2.8");

        Assert.Empty(Finder(netnsDirs: ["/run/netns"], forbidden: new HashSet<string> { identity }).Find(pod, search: true));
        Assert.Empty(Finder(netnsDirs: ["/run/netns"]).Find(pod, search: false));
    }

    [RootFact]
    public void Find_ANamespaceCreatedAfterAnEarlierSearch_IsFoundAtOnce()
    {
        var finder = Finder(netnsDirs: ["/run/netns"]);
        Namespace("10.251.3.1");
        Assert.Empty(finder.Find(Running(SamplePods.Istio("shop", "reviews"), "10.251.3.8"), search: true));

        var (late, _) = Namespace("10.251.3.8");

        Assert.Equal([late.Path], finder.Find(Running(SamplePods.Istio("shop", "reviews"), "10.251.3.8"), search: true).Select(c => c.Path));
    }

    [RootFact]
    public void Find_ANamespaceReadBeforeThePodsAddressesWereSeen_IsReadAgain()
    {
        // Another pod's search reads a namespace whose ADD has not yet given it its address; the pod
        // is reported (its address in place) right after. Its search must not trust that first read.
        var finder = Finder(netnsDirs: ["/run/netns"]);
        var (early, _) = Namespace();
        Assert.Empty(finder.Find(Running(SamplePods.Istio("shop", "other"), "10.251.5.9"), search: true));
        AddAddress(early, "10.251.5.8");
        var pod = Running(SamplePods.Istio("shop", "reviews"), "10.251.5.8");

        var found = finder.Find(pod, NetnsFinder.Addresses(pod), search: true, addressesSeenAt: System.Diagnostics.Stopwatch.GetTimestamp());

        Assert.Equal([early.Path], found.Select(c => c.Path));
    }

    [RootFact]
    public void Find_ByProcess_FindsANamespaceThatHasNoName()
    {
        var (ns, identity) = Namespace("10.251.4.8");
        using var sleeper = ProcessRunnerSleep.In(ns);
        NamedNetNs.Delete(ns.Name);

        var found = Finder(procDir: "/proc").Find(Running(SamplePods.Istio("shop", "reviews"), "10.251.4.8"), search: true);

        Assert.Equal($"/proc/{sleeper.Id}/ns/net", Assert.Single(found).Path);
        Assert.Equal("process namespace", found[0].Source);
        Assert.Equal(identity, new FileInfo(found[0].Path).LinkTarget);
    }
}

/// <summary>A process that holds a namespace (so it lives on when its name is removed), killed on dispose.</summary>
internal sealed class ProcessRunnerSleep : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private ProcessRunnerSleep(System.Diagnostics.Process process) => _process = process;

    public int Id => _process.Id;

    public static ProcessRunnerSleep In(TestNetns ns)
    {
        using var target = ns.Open();
        var identity = target.Identity();
        var start = new System.Diagnostics.ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in new[] { "netns", "exec", ns.Name, "sleep", "60" })
        {
            start.ArgumentList.Add(argument);
        }

        var sleeper = new ProcessRunnerSleep(System.Diagnostics.Process.Start(start)!);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (new FileInfo($"/proc/{sleeper.Id}/ns/net").LinkTarget != identity)
        {
            if (DateTime.UtcNow > deadline)
            {
                sleeper.Dispose();
                throw new InvalidOperationException($"the sleeper did not enter {ns.Name}");
            }

            Thread.Sleep(10);
        }

        return sleeper;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}

using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Net;

namespace Sluice.Linux.Tests;

/// <summary>Two fresh namespaces ("node" and "pod") with rtnetlink handles for each; removed on dispose.</summary>
internal sealed class TwoNamespaces : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public TwoNamespaces()
    {
        try
        {
            NodeNs = Own(TestNetns.Create("node"));
            PodNs = Own(TestNetns.Create("pod"));
            Node = Own(NodeNs.Open());
            Pod = Own(PodNs.Open());
            NodeRtnl = Own(Rtnl.OpenIn(Node));
            PodRtnl = Own(Rtnl.OpenIn(Pod));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestNetns NodeNs { get; } = null!;

    public TestNetns PodNs { get; } = null!;

    public NetNs Node { get; } = null!;

    public NetNs Pod { get; } = null!;

    public Rtnl NodeRtnl { get; } = null!;

    public Rtnl PodRtnl { get; } = null!;

    /// <summary>veth "host0" in node, "eth0" in pod, both up, with the given addresses.</summary>
    public (Link Host, Link Pod) Veth(string? hostAddress = null, string? podAddress = null)
    {
        NodeRtnl.CreateVeth("host0", "eth0", Pod);
        var host = NodeRtnl.GetLink("host0");
        var pod = PodRtnl.GetLink("eth0");
        NodeRtnl.SetUp(host.Index);
        PodRtnl.SetUp(pod.Index);
        if (hostAddress is not null)
        {
            var a = Sluice.Net.InterfaceAddress.Parse(hostAddress);
            NodeRtnl.AddAddress(host.Index, a.Address, a.PrefixLength, AddressFlags.NoDad);
        }

        if (podAddress is not null)
        {
            var a = Sluice.Net.InterfaceAddress.Parse(podAddress);
            PodRtnl.AddAddress(pod.Index, a.Address, a.PrefixLength, AddressFlags.NoDad);
        }

        return (host, pod);
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }
}

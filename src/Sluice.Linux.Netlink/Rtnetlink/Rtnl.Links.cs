using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Sluice.Linux.Interop;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary><c>ip link show</c></summary>
    public IReadOnlyList<Link> ListLinks()
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
                writer.EndMessage(start);
            },
            In("listing links"),
            (in NetlinkMessage message, ICollection<Link> links) =>
            {
                if (message.Type == RTM_NEWLINK)
                {
                    links.Add(ParseLink(message.Payload));
                }
            });
    }

    /// <summary><c>ip link show NAME</c>; null when there is no such link (without an exception: a miss is a normal answer).</summary>
    public Link? FindLink(string name)
    {
        var start = _socket.Begin(RTM_GETLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        _socket.Writer.AttributeString(IFLA_IFNAME, name);
        Link? found = null;
        var error = _socket.TryQuery(start, In($"looking up link {name}"), (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWLINK)
            {
                found = ParseLink(message.Payload);
            }
        });
        return error is null || error.Is(Errno.ENODEV) ? found : throw error;
    }

    /// <summary><c>ip link show NAME</c>; ENODEV when missing.</summary>
    public Link GetLink(string name) =>
        FindLink(name) ?? throw new LinuxException(In($"looking up link {name}"), Errno.ENODEV);

    /// <summary>The link with index <paramref name="index"/>; ENODEV when missing.</summary>
    public Link GetLink(int index)
    {
        var start = _socket.Begin(RTM_GETLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index });
        return QueryLink(start, In($"looking up link #{index}"));
    }

    /// <summary>
    /// <c>ip link add NAME numtxqueues 1 numrxqueues 1 type veth peer name PEER numtxqueues 1
    /// numrxqueues 1 netns PEERNS</c>: the peer is created directly in <paramref name="peerNamespace"/>
    /// (by descriptor) under its final name.
    /// </summary>
    /// <remarks>
    /// One queue each way on both ends, given rather than left to the kernel: on kernels whose veth
    /// takes ethtool's channel settings (this VM's 6.18 among them) an end is allocated with a
    /// queue per possible CPU and cut to one active queue after it is registered, and each cut
    /// waits for an expedited RCU grace period with the rtnl lock held (twice per veth, stalling
    /// every other link change on the node meanwhile). Given counts skip the cut. One active queue
    /// is what the kernel leaves a veth with either way; what is lost is raising the channels of a
    /// pod's veth later with <c>ethtool -L</c>.
    /// </remarks>
    public void CreateVeth(string name, string peerName, Namespaces.NetNs peerNamespace, int? mtu = null, PhysicalAddress? mac = null, PhysicalAddress? peerMac = null)
    {
        ArgumentNullException.ThrowIfNull(peerNamespace);
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        writer.AttributeString(IFLA_IFNAME, name);
        WriteCommon(writer, mtu, mac);
        WriteSingleQueue(writer);
        var linkInfo = writer.BeginNested(IFLA_LINKINFO);
        writer.AttributeString(IFLA_INFO_KIND, "veth");
        var data = writer.BeginNested(IFLA_INFO_DATA);
        var peer = writer.BeginNested(VETH_INFO_PEER);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        writer.AttributeString(IFLA_IFNAME, peerName);
        writer.AttributeU32(IFLA_NET_NS_FD, (uint)peerNamespace.Handle.Number);
        WriteCommon(writer, mtu, peerMac);
        WriteSingleQueue(writer);
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        _socket.Execute(start, In($"creating veth {name} (peer {peerName} in {peerNamespace.Description})"));
    }

    /// <summary><c>ip link add NAME type bridge [mtu N] [address MAC]</c> (a set MAC stays put when ports come and go).</summary>
    public void CreateBridge(string name, int? mtu = null, PhysicalAddress? mac = null)
    {
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        writer.AttributeString(IFLA_IFNAME, name);
        WriteCommon(writer, mtu, mac);
        var linkInfo = writer.BeginNested(IFLA_LINKINFO);
        writer.AttributeString(IFLA_INFO_KIND, "bridge");
        writer.EndNested(linkInfo);
        _socket.Execute(start, In($"creating bridge {name}"));
    }

    /// <summary><c>ip link set dev X up</c></summary>
    public void SetUp(int index) => SetFlags(index, IFF_UP, IFF_UP, "setting link #{0} up");

    /// <summary><c>ip link set dev X down</c></summary>
    public void SetDown(int index) => SetFlags(index, 0, IFF_UP, "setting link #{0} down");

    /// <summary><c>ip link set dev X promisc on|off</c></summary>
    public void SetPromiscuous(int index, bool on) => SetFlags(index, on ? IFF_PROMISC : 0, IFF_PROMISC, $"setting promiscuous mode {(on ? "on" : "off")} on link #{{0}}");

    /// <summary><c>ip link set dev X mtu N</c></summary>
    public void SetMtu(int index, int mtu) => SetAttribute(index, w => w.AttributeU32(IFLA_MTU, (uint)mtu), $"setting mtu {mtu} on link #{index}");

    /// <summary><c>ip link set dev X address MAC</c></summary>
    public void SetMac(int index, PhysicalAddress mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        SetAttribute(index, w => w.Attribute(IFLA_ADDRESS, mac.GetAddressBytes()), $"setting address {mac} on link #{index}");
    }

    /// <summary><c>ip link set dev X master BRIDGE</c> (0 detaches: <c>nomaster</c>).</summary>
    public void SetMaster(int index, int masterIndex) =>
        SetAttribute(index, w => w.AttributeU32(IFLA_MASTER, (uint)masterIndex), $"attaching link #{index} to master #{masterIndex}");

    /// <summary>
    /// <c>ip link set dev X master BRIDGE alias TEXT up</c>: all three in one request. Kernels
    /// apply the master and the flags in either order (master first from 5.2 to 6.7, the flags
    /// first since 6.8 and its stable backports): a caller must not depend on which.
    /// </summary>
    public void AttachUp(int index, int masterIndex, string alias)
    {
        var start = _socket.Begin(RTM_NEWLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index, Flags = IFF_UP, Change = IFF_UP });
        _socket.Writer.AttributeU32(IFLA_MASTER, (uint)masterIndex);
        _socket.Writer.AttributeString(IFLA_IFALIAS, alias);
        _socket.Execute(start, In($"attaching link #{index} to master #{masterIndex} with its alias, up"));
    }

    /// <summary><c>ip link set dev X name NEW</c> (the link must be down).</summary>
    public void Rename(int index, string newName) =>
        SetAttribute(index, w => w.AttributeString(IFLA_IFNAME, newName), $"renaming link #{index} to {newName}");

    /// <summary><c>ip link set dev X alias TEXT</c>: a label kept with the link (Sluice tags the links it owns).</summary>
    public void SetAlias(int index, string alias) =>
        SetAttribute(index, w => w.AttributeString(IFLA_IFALIAS, alias), $"setting alias of link #{index}");

    /// <summary><c>bridge link set dev PORT hairpin on|off</c></summary>
    public void SetHairpin(int portIndex, bool on)
    {
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_SETLINK, 0);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_BRIDGE, Index = portIndex });
        var info = writer.BeginNested(IFLA_PROTINFO);
        writer.AttributeU8(IFLA_BRPORT_MODE, on ? (byte)1 : (byte)0);
        writer.EndNested(info);
        _socket.Execute(start, In($"setting hairpin {(on ? "on" : "off")} on bridge port #{portIndex}"));
    }

    /// <summary><c>ip link del dev X</c> (a veth takes its peer with it).</summary>
    public void DeleteLink(int index)
    {
        var start = _socket.Begin(RTM_DELLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index });
        _socket.Execute(start, In($"deleting link #{index}"));
    }

    /// <summary><c>ip link del dev NAME</c>; false when there was no such link.</summary>
    public bool DeleteLink(string name)
    {
        var start = _socket.Begin(RTM_DELLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        _socket.Writer.AttributeString(IFLA_IFNAME, name);
        try
        {
            _socket.Execute(start, In($"deleting link {name}"));
            return true;
        }
        catch (LinuxException error) when (error.Is(Errno.ENODEV))
        {
            return false;
        }
    }

    /// <summary>Waits until the link's operational state is up, polling at most until <paramref name="bound"/> has passed.</summary>
    public Link WaitOperUp(int index, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var link = GetLink(index);
            if (link.OperState == OperState.Up)
            {
                return link;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new LinuxException(In($"waiting {bound.TotalMilliseconds:F0} ms for link {link.Name} to come up (state {link.OperState})"), Errno.ETIMEDOUT);
            }

            Thread.Sleep(2);
        }
    }

    private static void WriteCommon(NetlinkWriter writer, int? mtu, PhysicalAddress? mac)
    {
        if (mtu is { } value)
        {
            writer.AttributeU32(IFLA_MTU, (uint)value);
        }

        if (mac is not null)
        {
            writer.Attribute(IFLA_ADDRESS, mac.GetAddressBytes());
        }
    }

    private void SetFlags(int index, uint flags, uint change, string operation)
    {
        var start = _socket.Begin(RTM_NEWLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index, Flags = flags, Change = change });
        _socket.Execute(start, In(string.Format(System.Globalization.CultureInfo.InvariantCulture, operation, index)));
    }

    private void SetAttribute(int index, Action<NetlinkWriter> attribute, string operation)
    {
        var start = _socket.Begin(RTM_NEWLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index });
        attribute(_socket.Writer);
        _socket.Execute(start, In(operation));
    }

    private Link QueryLink(int start, string operation)
    {
        Link? found = null;
        _socket.Query(start, operation, (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWLINK)
            {
                found = ParseLink(message.Payload);
            }
        });
        return found ?? throw new LinuxException(operation, Errno.ENODEV);
    }

    private static void WriteSingleQueue(NetlinkWriter writer)
    {
        writer.AttributeU32(IFLA_NUM_TX_QUEUES, 1);
        writer.AttributeU32(IFLA_NUM_RX_QUEUES, 1);
    }

    private static Link ParseLink(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<IfInfoMsg>(payload);
        string name = "", kind = "";
        string? alias = null;
        int mtu = 0, master = 0, parent = 0, promiscuity = 0, txQueues = 0, rxQueues = 0;
        int? peerNetns = null;
        PhysicalAddress? mac = null;
        var operState = OperState.Unknown;
        VxlanSettings? vxlan = null;
        int? acceptRa = null;
        var reader = new AttributeReader(NetlinkConstants.AfterHeader<IfInfoMsg>(payload));
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case IFLA_IFNAME:
                    name = AttributeReader.String(value);
                    break;
                case IFLA_MTU:
                    mtu = (int)AttributeReader.U32(value);
                    break;
                case IFLA_ADDRESS:
                    mac = new PhysicalAddress(value.ToArray());
                    break;
                case IFLA_MASTER:
                    master = (int)AttributeReader.U32(value);
                    break;
                case IFLA_LINK:
                    parent = (int)AttributeReader.U32(value);
                    break;
                case IFLA_OPERSTATE:
                    operState = (OperState)value[0];
                    break;
                case IFLA_IFALIAS:
                    alias = AttributeReader.String(value);
                    break;
                case IFLA_PROMISCUITY:
                    promiscuity = (int)AttributeReader.U32(value);
                    break;
                case IFLA_NUM_TX_QUEUES:
                    txQueues = (int)AttributeReader.U32(value);
                    break;
                case IFLA_NUM_RX_QUEUES:
                    rxQueues = (int)AttributeReader.U32(value);
                    break;
                case IFLA_LINK_NETNSID:
                    peerNetns = (int)AttributeReader.U32(value);
                    break;
                case IFLA_AF_SPEC:
                    // IFLA_INET6_CONF is an array of s32 indexed by DEVCONF_*.
                    acceptRa = (int?)DeviceConfValue(value, Libc.AF_INET6, IFLA_INET6_CONF, DEVCONF_ACCEPT_RA * 4);
                    break;
                case IFLA_LINKINFO:
                    var info = new AttributeReader(value);
                    while (info.Next(out var infoType, out var infoValue))
                    {
                        if (infoType == IFLA_INFO_KIND)
                        {
                            kind = AttributeReader.String(infoValue);
                        }
                        else if (infoType == IFLA_INFO_DATA && kind == "vxlan")
                        {
                            vxlan = ParseVxlan(infoValue);
                        }
                    }

                    break;
            }
        }

        return new Link(header.Index, name, kind.Length == 0 ? null : kind, mtu, mac, (LinkFlags)header.Flags, operState, master, parent, promiscuity, peerNetns, alias)
        {
            Vxlan = vxlan,
            Ipv6AcceptRa = acceptRa,
            TxQueues = txQueues,
            RxQueues = rxQueues,
        };
    }
}

using System.Buffers.Binary;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary>
    /// <c>ip link add NAME type vxlan id VNI dstport PORT local IP dev UNDERLAY [no]learning
    /// [mtu N] [address MAC]</c>. An IPv6 <see cref="VxlanSettings.Local"/> makes an IPv6 tunnel.
    /// </summary>
    public void CreateVxlan(string name, VxlanSettings tunnel, int? mtu = null, PhysicalAddress? mac = null)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC });
        writer.AttributeString(IFLA_IFNAME, name);
        WriteCommon(writer, mtu, mac);
        var linkInfo = writer.BeginNested(IFLA_LINKINFO);
        writer.AttributeString(IFLA_INFO_KIND, "vxlan");
        var data = writer.BeginNested(IFLA_INFO_DATA);
        writer.AttributeU32(IFLA_VXLAN_ID, tunnel.Vni);
        if (tunnel.Local is { } local)
        {
            writer.AttributeAddress(local.AddressFamily == AddressFamily.InterNetworkV6 ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL, local);
        }

        if (tunnel.UnderlayIndex != 0)
        {
            writer.AttributeU32(IFLA_VXLAN_LINK, (uint)tunnel.UnderlayIndex);
        }

        writer.AttributeU8(IFLA_VXLAN_LEARNING, tunnel.Learning ? (byte)1 : (byte)0);
        Span<byte> port = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)tunnel.Port);
        writer.Attribute(IFLA_VXLAN_PORT, port);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        _socket.Execute(start, In($"creating VXLAN device {name} ({tunnel})"));
    }

    /// <summary>The tunnel of a "vxlan" link from its IFLA_INFO_DATA.</summary>
    private static VxlanSettings ParseVxlan(ReadOnlySpan<byte> data)
    {
        uint vni = 0;
        int port = 0, underlay = 0;
        System.Net.IPAddress? local = null;
        var learning = false;
        var reader = new AttributeReader(data);
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case IFLA_VXLAN_ID:
                    vni = AttributeReader.U32(value);
                    break;
                case IFLA_VXLAN_LINK:
                    underlay = (int)AttributeReader.U32(value);
                    break;
                case IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6:
                    local = AttributeReader.Address(value);
                    break;
                case IFLA_VXLAN_LEARNING:
                    learning = value[0] != 0;
                    break;
                case IFLA_VXLAN_PORT:
                    port = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
            }
        }

        return new VxlanSettings(vni, port, local, underlay, learning);
    }
}

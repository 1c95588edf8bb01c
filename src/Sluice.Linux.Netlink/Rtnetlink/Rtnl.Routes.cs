using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary><c>ip route add …</c>; EEXIST when the route exists.</summary>
    public void AddRoute(Route route) => ChangeRoute(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route, "adding");

    /// <summary><c>ip route replace …</c>: creates the route or replaces the one with the same key.</summary>
    public void ReplaceRoute(Route route) => ChangeRoute(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, route, "replacing");

    /// <summary><c>ip route del …</c>; ESRCH when there is no such route.</summary>
    public void DeleteRoute(Route route) => ChangeRoute(RTM_DELROUTE, 0, route, "deleting");

    /// <summary>At most this many route changes go in one datagram: if all were refused, their error messages must still fit the socket's receive queue.</summary>
    public const int RoutesPerDatagram = 64;

    /// <summary><c>ip route replace …</c> for many routes at once; returns those the kernel refused, each with its error.</summary>
    public IReadOnlyList<(Route Route, LinuxException Error)> ReplaceRoutes(IReadOnlyList<Route> routes) =>
        ChangeRoutes(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, routes, "replacing");

    /// <summary><c>ip route del …</c> for many routes at once; returns those the kernel refused (ESRCH: already gone), each with its error.</summary>
    public IReadOnlyList<(Route Route, LinuxException Error)> DeleteRoutes(IReadOnlyList<Route> routes) =>
        ChangeRoutes(RTM_DELROUTE, 0, routes, "deleting");

    /// <summary><c>ip route show table all</c> for a family, optionally one table only (0: every table).</summary>
    public IReadOnlyList<Route> ListRoutes(AddressFamily family, int table = Route.Tables.Main)
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new RtMsg { Family = FamilyOf(family) });
                writer.EndMessage(start);
            },
            In($"listing {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} routes"),
            (in NetlinkMessage message, ICollection<Route> result) =>
            {
                if (message.Type == RTM_NEWROUTE && ParseRoute(message.Payload) is { } route && (table == 0 || route.Table == table))
                {
                    result.Add(route);
                }
            });
    }

    /// <summary><c>ip route get ADDRESS</c>: the route the kernel would use to reach it; null when it has none (unreachable).</summary>
    public Route? GetRoute(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_GETROUTE, 0);
        writer.Struct(new RtMsg
        {
            Family = FamilyOf(destination.AddressFamily),
            DstLength = (byte)(destination.AddressFamily == AddressFamily.InterNetwork ? 32 : 128),
        });
        writer.AttributeAddress(RTA_DST, destination);
        Route? found = null;
        var error = _socket.TryQuery(start, In($"looking up the route to {destination}"), (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWROUTE)
            {
                found = ParseRoute(message.Payload);
            }
        });
        return error is null || error.ErrorNumber is Interop.Errno.ENETUNREACH or Interop.Errno.EHOSTUNREACH ? found : throw error;
    }

    private void ChangeRoute(ushort type, ushort flags, Route route, string verb)
    {
        ArgumentNullException.ThrowIfNull(route);
        var start = _socket.Begin(type, flags);
        WriteRoute(_socket.Writer, type, route);
        _socket.Execute(start, In($"{verb} route {route}"));
    }

    /// <summary>
    /// Many route changes, <see cref="RoutesPerDatagram"/> to a datagram and without acknowledgements
    /// (the kernel answers only a refusal): at 5,000 nodes about 160 sends instead of 10,000 round
    /// trips. Returns each refused route with the kernel's error.
    /// </summary>
    private List<(Route Route, LinuxException Error)> ChangeRoutes(ushort type, ushort flags, IReadOnlyList<Route> routes, string verb)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var refused = new List<(Route, LinuxException)>();
        var bySequence = new Dictionary<uint, Route>(RoutesPerDatagram);
        for (var first = 0; first < routes.Count; first += RoutesPerDatagram)
        {
            var writer = _socket.Writer;
            writer.Reset();
            bySequence.Clear();
            for (var i = first; i < Math.Min(first + RoutesPerDatagram, routes.Count); i++)
            {
                var sequence = _socket.NextSequence();
                var start = writer.BeginMessage(type, (ushort)(NLM_F_REQUEST | flags), sequence);
                WriteRoute(writer, type, routes[i]);
                writer.EndMessage(start);
                bySequence[sequence] = routes[i];
            }

            foreach (var (sequence, error) in _socket.SendUnacknowledged(sequence => bySequence.TryGetValue(sequence, out var route) ? In($"{verb} route {route}") : null))
            {
                refused.Add((bySequence[sequence], error));
            }
        }

        return refused;
    }

    private static void WriteRoute(NetlinkWriter writer, ushort type, Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var scope = route.Scope ?? DefaultScope(route);
        writer.Struct(new RtMsg
        {
            Family = FamilyOf(route.Family),
            DstLength = (byte)(route.Destination?.PrefixLength ?? 0),
            Table = route.Table < 256 ? (byte)route.Table : RT_TABLE_UNSPEC,
            Protocol = type == RTM_DELROUTE ? (byte)0 : route.Protocol,
            Scope = type == RTM_DELROUTE && route.Scope is null ? (byte)Scope.Nowhere : (byte)scope,
            Type = (byte)route.Type,
            Flags = route.OnLink ? RTNH_F_ONLINK : 0,
        });
        if (route.Destination is { PrefixLength: > 0 } destination)
        {
            writer.AttributeAddress(RTA_DST, destination.BaseAddress);
        }

        if (route.Gateway is not null)
        {
            writer.AttributeAddress(RTA_GATEWAY, route.Gateway);
        }

        if (route.OutputIndex != 0)
        {
            writer.AttributeU32(RTA_OIF, (uint)route.OutputIndex);
        }

        if (route.Metric is { } metric)
        {
            writer.AttributeU32(RTA_PRIORITY, (uint)metric);
        }

        if (route.PreferredSource is not null)
        {
            writer.AttributeAddress(RTA_PREFSRC, route.PreferredSource);
        }

        writer.AttributeU32(RTA_TABLE, (uint)route.Table);
        if (route.Mtu is not null || route.AdvMss is not null)
        {
            var metrics = writer.BeginNested(RTA_METRICS);
            if (route.Mtu is { } mtu)
            {
                writer.AttributeU32(RTAX_MTU, (uint)mtu);
            }

            if (route.AdvMss is { } advmss)
            {
                writer.AttributeU32(RTAX_ADVMSS, (uint)advmss);
            }

            writer.EndNested(metrics);
        }
    }

    /// <summary>What <c>ip route</c> picks: host for local routes, link for a device route without gateway, else universe.</summary>
    private static Scope DefaultScope(Route route) => route.Type switch
    {
        RouteType.Local => Scope.Host,
        RouteType.Unicast when route.Gateway is null && route.OutputIndex != 0 => Scope.Link,
        _ => Scope.Universe,
    };

    private static Route? ParseRoute(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<RtMsg>(payload);
        var family = FamilyFrom(header.Family);
        if (family == AddressFamily.Unspecified)
        {
            return null;
        }

        IPAddress? destination = null, gateway = null, source = null;
        int oif = 0, table = header.Table;
        int? metric = null, mtu = null, advmss = null;
        var reader = new AttributeReader(AfterHeader<RtMsg>(payload));
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case RTA_DST:
                    destination = AttributeReader.Address(value);
                    break;
                case RTA_GATEWAY:
                    gateway = AttributeReader.Address(value);
                    break;
                case RTA_OIF:
                    oif = (int)AttributeReader.U32(value);
                    break;
                case RTA_PRIORITY:
                    metric = (int)AttributeReader.U32(value);
                    break;
                case RTA_PREFSRC:
                    source = AttributeReader.Address(value);
                    break;
                case RTA_TABLE:
                    table = (int)AttributeReader.U32(value);
                    break;
                case RTA_METRICS:
                    var metrics = new AttributeReader(value);
                    while (metrics.Next(out var metricType, out var metricValue))
                    {
                        if (metricType == RTAX_MTU)
                        {
                            mtu = (int)AttributeReader.U32(metricValue);
                        }
                        else if (metricType == RTAX_ADVMSS)
                        {
                            advmss = (int)AttributeReader.U32(metricValue);
                        }
                    }

                    break;
            }
        }

        var zero = family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        return new Route
        {
            Family = family,
            Destination = header.DstLength == 0 && destination is null ? null : new IPNetwork(destination ?? zero, header.DstLength),
            Gateway = gateway,
            OutputIndex = oif,
            Table = table,
            Protocol = header.Protocol,
            Scope = (Scope)header.Scope,
            Type = (RouteType)header.Type,
            Metric = metric,
            PreferredSource = source,
            Mtu = mtu,
            AdvMss = advmss,
            OnLink = (header.Flags & RTNH_F_ONLINK) != 0,
        };
    }
}

using System.Net;

namespace Sluice.Linux.Conntrack;

/// <summary>One direction of a connection as conntrack keys it: addresses, layer-4 protocol and ports.</summary>
public sealed record ConntrackTuple(IPAddress Source, IPAddress Destination, byte Protocol, int SourcePort, int DestinationPort)
{
    public override string ToString() => $"{Protocol} {new IPEndPoint(Source, SourcePort)} -> {new IPEndPoint(Destination, DestinationPort)}";
}

/// <summary>A conntrack entry: the tuple of the first packet, the tuple replies are expected with (after NAT), and its zone.</summary>
public sealed record ConntrackEntry(ConntrackTuple Original, ConntrackTuple Reply, int Zone)
{
    public override string ToString() => $"{Original} (reply {Reply}{(Zone == 0 ? "" : $", zone {Zone}")})";
}

using System.Globalization;
using Sluice.Agent.Network;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>One route to another node's pods, as the status shows it; <see cref="Device"/> and <see cref="VxlanTo"/> only for a route over VXLAN.</summary>
public sealed class RouteEntry
{
    public static JsonShape<RouteEntry> Shape { get; } = new JsonShape<RouteEntry>(() => new RouteEntry(), KeyMatch.Exact)
        .Text("destination", r => r.Destination, (r, v) => r.Destination = v ?? "")
        .Text("via", r => r.Via, (r, v) => r.Via = v ?? "")
        .Text("node", r => r.Node, (r, v) => r.Node = v ?? "")
        .Text("device", r => r.Device, (r, v) => r.Device = v)
        .Text("vxlanTo", r => r.VxlanTo, (r, v) => r.VxlanTo = v);

    public string Destination { get; set; } = "";

    public string Via { get; set; } = "";

    public string Node { get; set; } = "";

    public string? Device { get; set; }

    public string? VxlanTo { get; set; }

    public static RouteEntry From(NodeRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new()
        {
            Destination = route.Destination.ToString(),
            Via = route.Via.ToString(),
            Node = route.Node,
            Device = route.Overlay?.Device,
            VxlanTo = route.Overlay?.Underlay.ToString(),
        };
    }

    public override string ToString() => Device is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Destination} via {Via} (node {Node})")
        : string.Create(CultureInfo.InvariantCulture, $"{Destination} via {Via} dev {Device} onlink (node {Node}, VXLAN to {VxlanTo})");
}

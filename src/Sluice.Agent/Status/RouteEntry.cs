using System.Globalization;
using Sluice.Agent.Network;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>One route to another node's pods, as the status shows it.</summary>
public sealed class RouteEntry
{
    public static JsonShape<RouteEntry> Shape { get; } = new JsonShape<RouteEntry>(() => new RouteEntry(), KeyMatch.Exact)
        .Text("destination", r => r.Destination, (r, v) => r.Destination = v ?? "")
        .Text("via", r => r.Via, (r, v) => r.Via = v ?? "")
        .Text("node", r => r.Node, (r, v) => r.Node = v ?? "");

    public string Destination { get; set; } = "";

    public string Via { get; set; } = "";

    public string Node { get; set; } = "";

    public static RouteEntry From(NodeRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new() { Destination = route.Destination.ToString(), Via = route.Via.ToString(), Node = route.Node };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Destination} via {Via} (node {Node})");
}

using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A port a container declares: number, protocol (TCP when absent) and optional name.</summary>
public sealed class ContainerPort
{
    public static JsonShape<ContainerPort> Shape { get; } = new JsonShape<ContainerPort>(() => new ContainerPort(), KeyMatch.Exact)
        .Field("containerPort", JsonCodecs.Required(JsonCodecs.Int32), p => p.Port, (p, v) => p.Port = v)
        .Text("protocol", p => p.Protocol, (p, v) => p.Protocol = v)
        .Text("name", p => p.Name, (p, v) => p.Name = v);

    /// <summary>The port number (the JSON field "containerPort").</summary>
    public int Port { get; set; }

    public string? Protocol { get; set; }

    public string? Name { get; set; }
}

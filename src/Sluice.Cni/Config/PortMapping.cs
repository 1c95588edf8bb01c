using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>One entry of the <c>portMappings</c> capability (containerd sends the keys capitalised).</summary>
public sealed class PortMapping
{
    public static JsonShape<PortMapping> Shape { get; } = new JsonShape<PortMapping>(() => new PortMapping())
        .Int32("hostPort", m => m.HostPort, (m, v) => m.HostPort = v)
        .Int32("containerPort", m => m.ContainerPort, (m, v) => m.ContainerPort = v)
        .Text("protocol", m => m.Protocol, (m, v) => m.Protocol = v)
        .Text("hostIP", m => m.HostIp, (m, v) => m.HostIp = v);

    public int? HostPort { get; set; }

    public int? ContainerPort { get; set; }

    public string? Protocol { get; set; }

    public string? HostIp { get; set; }
}

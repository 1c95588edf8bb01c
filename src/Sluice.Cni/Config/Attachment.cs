using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>One attachment named in GC input: a container ID and interface name pair.</summary>
public sealed record Attachment
{
    public static JsonShape<Attachment> Shape { get; } = new JsonShape<Attachment>(() => new Attachment())
        .Text("containerID", a => a.ContainerId, (a, v) => a.ContainerId = v ?? "")
        .Text("ifname", a => a.IfName, (a, v) => a.IfName = v ?? "");

    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";
}

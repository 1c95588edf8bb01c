using Sluice.Json;

namespace Sluice.Cni.Results;

public sealed class CniInterface
{
    public static JsonShape<CniInterface> Shape { get; } = new JsonShape<CniInterface>(() => new CniInterface())
        .Text("name", i => i.Name, (i, v) => i.Name = v!)
        .Text("mac", i => i.Mac, (i, v) => i.Mac = v)
        .Int32("mtu", i => i.Mtu, (i, v) => i.Mtu = v)
        .Text("sandbox", i => i.Sandbox, (i, v) => i.Sandbox = v)
        .Text("socketPath", i => i.SocketPath, (i, v) => i.SocketPath = v)
        .Text("pciID", i => i.PciId, (i, v) => i.PciId = v);

    public string Name { get; set; } = "";

    public string? Mac { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Mtu { get; set; }

    /// <summary>The netns path for container interfaces; absent for host interfaces.</summary>
    public string? Sandbox { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public string? SocketPath { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public string? PciId { get; set; }

    public CniInterface Clone() => (CniInterface)MemberwiseClone();
}

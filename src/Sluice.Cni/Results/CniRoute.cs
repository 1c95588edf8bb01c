using Sluice.Json;

namespace Sluice.Cni.Results;

public sealed class CniRoute
{
    public static JsonShape<CniRoute> Shape { get; } = new JsonShape<CniRoute>(() => new CniRoute())
        .Text("dst", r => r.Dst, (r, v) => r.Dst = v!)
        .Text("gw", r => r.Gw, (r, v) => r.Gw = v)
        .Int32("mtu", r => r.Mtu, (r, v) => r.Mtu = v)
        .Int32("advmss", r => r.AdvMss, (r, v) => r.AdvMss = v)
        .Int32("priority", r => r.Priority, (r, v) => r.Priority = v)
        .Int32("table", r => r.Table, (r, v) => r.Table = v)
        .Int32("scope", r => r.Scope, (r, v) => r.Scope = v);

    public string Dst { get; set; } = "";

    public string? Gw { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Mtu { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? AdvMss { get; set; }

    /// <summary>Since 1.1.0 (the route metric).</summary>
    public int? Priority { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Table { get; set; }

    /// <summary>Since 1.1.0.</summary>
    public int? Scope { get; set; }

    public CniRoute Clone() => (CniRoute)MemberwiseClone();
}

using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>The <c>args</c> key the runtime may inject (CONVENTIONS.md: <c>args.cni.ips</c>, <c>args.cni.mac</c>).</summary>
public sealed class ConfigArgs
{
    public static JsonShape<ConfigArgs> Shape { get; } = new JsonShape<ConfigArgs>(() => new ConfigArgs())
        .Object("cni", CniConventionArgs.Shape, a => a.Cni, (a, v) => a.Cni = v);

    public CniConventionArgs? Cni { get; set; }
}

/// <summary><c>args.cni</c>: the addresses and MAC the runtime asks for.</summary>
public sealed class CniConventionArgs
{
    public static JsonShape<CniConventionArgs> Shape { get; } = new JsonShape<CniConventionArgs>(() => new CniConventionArgs())
        .TextList("ips", a => a.Ips, (a, v) => a.Ips = v)
        .Text("mac", a => a.Mac, (a, v) => a.Mac = v);

    public List<string>? Ips { get; set; }

    public string? Mac { get; set; }
}

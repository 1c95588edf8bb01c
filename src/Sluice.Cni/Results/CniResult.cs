using System.Buffers;
using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Json;

namespace Sluice.Cni.Results;

/// <summary>
/// A plugin result. One type holds the union of the fields of every supported version;
/// <see cref="ResultConversion.ToVersion"/> shapes it for the version the runtime asked for.
/// </summary>
public sealed class CniResult
{
    public static JsonShape<CniResult> Shape { get; } = new JsonShape<CniResult>(() => new CniResult())
        .Text("cniVersion", r => r.CniVersion, (r, v) => r.CniVersion = v)
        .List("interfaces", CniInterface.Shape, r => r.Interfaces, (r, v) => r.Interfaces = v)
        .List("ips", CniIpConfig.Shape, r => r.Ips, (r, v) => r.Ips = v)
        .List("routes", CniRoute.Shape, r => r.Routes, (r, v) => r.Routes = v)
        .Object("dns", CniDns.Shape, r => r.Dns, (r, v) => r.Dns = v);

    public string? CniVersion { get; set; }

    public List<CniInterface>? Interfaces { get; set; }

    public List<CniIpConfig>? Ips { get; set; }

    public List<CniRoute>? Routes { get; set; }

    public CniDns? Dns { get; set; }

    /// <summary>
    /// Reads a result (a <c>prevResult</c>, a delegate's output); <paramref name="what"/> names the
    /// input in errors. Keys match without regard to case; a value of the wrong type is a
    /// decoding failure naming the field.
    /// </summary>
    public static CniResult Read(ReadOnlyMemory<byte> json, string what) => CniJson.Read(json, Shape, what);

    /// <summary>Writes the result as plugins print it: indented, absent fields left out, in declaration order.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, SkipValidation = true, Encoder = Json.LazyDefaultEncoder.Instance });
        Shape.Write(json, this);
    }

    public CniResult Clone() => new()
    {
        CniVersion = CniVersion,
        Interfaces = Interfaces?.Select(item => item.Clone()).ToList(),
        Ips = Ips?.Select(item => item.Clone()).ToList(),
        Routes = Routes?.Select(item => item.Clone()).ToList(),
        Dns = Dns?.Clone(),
    };
}

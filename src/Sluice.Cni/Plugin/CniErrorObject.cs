using System.Text.Json;
using Sluice.Json;

namespace Sluice.Cni.Plugin;

/// <summary>The error object a plugin prints on stdout when it fails.</summary>
public sealed class CniErrorObject
{
    public static JsonShape<CniErrorObject> Shape { get; } = new JsonShape<CniErrorObject>(() => new CniErrorObject())
        .Text("cniVersion", e => e.CniVersion, (e, v) => e.CniVersion = v ?? CniVersions.Latest)
        .Int32("code", e => e.Code, (e, v) => e.Code = v ?? 0)
        .Text("msg", e => e.Msg, (e, v) => e.Msg = v ?? "")
        .Text("details", e => e.Details, (e, v) => e.Details = v);

    public string CniVersion { get; set; } = CniVersions.Latest;

    public int Code { get; set; }

    public string Msg { get; set; } = "";

    public string? Details { get; set; }

    /// <summary>Prints the object, indented, with messages left readable (<c>field 'mtu'</c>, not <c>field \u0027mtu\u0027</c>).</summary>
    public void WriteTo(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        Shape.Write(json, this);
    }
}

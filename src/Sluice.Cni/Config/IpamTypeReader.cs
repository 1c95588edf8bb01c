using System.Text.Json;
using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>Reads <c>ipam.type</c> from the raw IPAM section (the rest of it belongs to the IPAM plugin).</summary>
internal static class IpamTypeReader
{
    private static readonly JsonShape<Holder> Shape = new JsonShape<Holder>(() => new Holder())
        .Text("type", h => h.Type, (h, v) => h.Type = v);

    /// <summary>The type, or null when the section is not an object or has no string <c>type</c>.</summary>
    public static string? Read(ReadOnlyMemory<byte> ipam)
    {
        try
        {
            return JsonText.Read(ipam, Shape, "ipam")?.Type;
        }
        catch (JsonFieldException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Holder
    {
        public string? Type { get; set; }
    }
}

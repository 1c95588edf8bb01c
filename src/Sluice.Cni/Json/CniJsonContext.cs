using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cni.Config;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;

namespace Sluice.Cni.Json;

/// <summary>
/// Source-generated JSON for the protocol types. Property names match case-insensitively on
/// input (as Go's decoder does); nulls are left out on output.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(NetworkConfig))]
[JsonSerializable(typeof(CniResult))]
[JsonSerializable(typeof(CniErrorObject))]
public sealed partial class CniJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For what plugins print: like <see cref="Default"/> but without HTML-safe escaping, so
    /// messages read <c>field 'mtu'</c> rather than <c>field \u0027mtu\u0027</c>.
    /// </summary>
    public static CniJsonContext Output => CachedOutput ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static CniJsonContext? CachedOutput;
}

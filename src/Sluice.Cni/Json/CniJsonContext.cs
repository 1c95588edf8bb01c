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
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(VersionProbe))]
public sealed partial class CniJsonContext : JsonSerializerContext;

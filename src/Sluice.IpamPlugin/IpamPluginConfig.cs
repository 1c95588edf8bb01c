using System.Text.Json.Serialization;
using Sluice.Cni.Config;
using Sluice.Cni.Logging;

namespace Sluice.IpamPlugin;

/// <summary>The network configuration as sluice-ipam reads it: the spec's fields, plus logging.</summary>
public sealed class IpamPluginConfig : NetworkConfig, ILogOptions
{
    [JsonPropertyName("logLevel")]
    public string? LogLevel { get; set; }

    [JsonPropertyName("logFile")]
    public string? LogFile { get; set; }

    [JsonPropertyName("logSocket")]
    public string? LogSocket { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IpamPluginConfig))]
internal sealed partial class IpamPluginJsonContext : JsonSerializerContext;

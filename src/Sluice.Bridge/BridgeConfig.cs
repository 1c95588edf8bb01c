using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cni.Config;
using Sluice.Cni.Logging;

namespace Sluice.Bridge;

/// <summary>sluice-bridge's configuration: the reference bridge plugin's options plus Sluice's own.</summary>
public sealed class BridgeConfig : NetworkConfig, ILogOptions
{
    [JsonPropertyName("bridge")]
    public string? Bridge { get; set; }

    [JsonPropertyName("isGateway")]
    public bool IsGateway { get; set; }

    [JsonPropertyName("isDefaultGateway")]
    public bool IsDefaultGateway { get; set; }

    [JsonPropertyName("forceAddress")]
    public bool ForceAddress { get; set; }

    [JsonPropertyName("ipMasqBackend")]
    public string? IpMasqBackend { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("hairpinMode")]
    public bool HairpinMode { get; set; }

    [JsonPropertyName("promiscMode")]
    public bool PromiscMode { get; set; }

    [JsonPropertyName("enabledad")]
    public bool EnableDad { get; set; }

    /// <summary>The cluster's pod network(s): not masqueraded, accepted in FORWARD. Default: the pod's own subnets.</summary>
    [JsonPropertyName("clusterCidrs")]
    public List<string>? ClusterCidrs { get; set; }

    [JsonPropertyName("vlan")]
    public JsonElement? Vlan { get; set; }

    [JsonPropertyName("macspoofchk")]
    public JsonElement? MacSpoofCheck { get; set; }

    [JsonPropertyName("logLevel")]
    public string? LogLevel { get; set; }

    [JsonPropertyName("logFile")]
    public string? LogFile { get; set; }

    [JsonPropertyName("logSocket")]
    public string? LogSocket { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BridgeConfig))]
internal sealed partial class BridgeJsonContext : JsonSerializerContext;

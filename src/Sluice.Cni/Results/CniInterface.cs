using System.Text.Json.Serialization;

namespace Sluice.Cni.Results;

public sealed class CniInterface
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    /// <summary>The netns path for container interfaces; absent for host interfaces.</summary>
    [JsonPropertyName("sandbox")]
    public string? Sandbox { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("socketPath")]
    public string? SocketPath { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("pciID")]
    public string? PciId { get; set; }

    public CniInterface Clone() => (CniInterface)MemberwiseClone();
}

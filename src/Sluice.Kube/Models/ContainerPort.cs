using System.Text.Json.Serialization;

namespace Sluice.Kube.Models;

/// <summary>A port a container declares: number, protocol (TCP when absent) and optional name.</summary>
public sealed class ContainerPort
{
    /// <summary>The port number (the JSON field "containerPort").</summary>
    [JsonPropertyName("containerPort")]
    public int Port { get; set; }

    public string? Protocol { get; set; }

    public string? Name { get; set; }
}

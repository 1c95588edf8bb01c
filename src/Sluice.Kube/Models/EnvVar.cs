namespace Sluice.Kube.Models;

/// <summary>A container environment variable with a literal value (valueFrom is not read).</summary>
public sealed class EnvVar
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

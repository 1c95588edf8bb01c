using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A container environment variable with a literal value (valueFrom is not read).</summary>
public sealed class EnvVar
{
    public static JsonShape<EnvVar> Shape { get; } = new JsonShape<EnvVar>(() => new EnvVar(), KeyMatch.Exact)
        .Text("name", e => e.Name, (e, v) => e.Name = v)
        .Text("value", e => e.Value, (e, v) => e.Value = v);

    public string? Name { get; set; }

    public string? Value { get; set; }
}

using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The user and group a container runs as, when the pod spec sets them.</summary>
public sealed class SecurityContext
{
    public static JsonShape<SecurityContext> Shape { get; } = new JsonShape<SecurityContext>(() => new SecurityContext(), KeyMatch.Exact)
        .Int64("runAsUser", s => s.RunAsUser, (s, v) => s.RunAsUser = v)
        .Int64("runAsGroup", s => s.RunAsGroup, (s, v) => s.RunAsGroup = v);

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }
}

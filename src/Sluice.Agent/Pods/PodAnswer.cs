using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>What a lookup found: the pod; or nothing; or, when asked for a UID, only a pod of that name under <see cref="OtherUid"/> (the sandbox is for a pod that no longer exists).</summary>
public sealed record PodAnswer(Pod? Pod, string? OtherUid)
{
    public static PodAnswer NotFound { get; } = new(null, null);
}

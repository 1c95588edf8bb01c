using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>What the pod cache learns, as it learns it (called on the cache's task: return quickly).</summary>
public interface IPodEvents
{
    /// <summary>A new list of this node's pods replaced the cache (at start and after every relist).</summary>
    void Listed(IReadOnlyList<Pod> pods);

    /// <summary>A pod was added or changed.</summary>
    void Changed(Pod pod);

    /// <summary>A pod was deleted.</summary>
    void Removed(Pod pod);
}

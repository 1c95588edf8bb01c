using Sluice.Cni;

namespace Sluice.Redirect;

/// <summary>
/// The pod a CNI call is for, from <c>K8S_POD_NAMESPACE</c>, <c>K8S_POD_NAME</c> and, when the
/// runtime sends it, <c>K8S_POD_UID</c> in CNI_ARGS: with the UID, a lookup answers only for that
/// pod, never for an older or newer one of the same name (a recreated StatefulSet pod).
/// </summary>
public sealed record PodReference(string Namespace, string Name, string? Uid = null)
{
    /// <summary>Null when the runtime gave no Kubernetes pod (not a Kubernetes sandbox: nothing to decide).</summary>
    public static PodReference? From(CniArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var ns = args.Get(CniArgs.PodNamespace);
        var name = args.Get(CniArgs.PodName);
        var uid = args.Get(CniArgs.PodUid);
        return string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) ? null : new PodReference(ns, name, string.IsNullOrEmpty(uid) ? null : uid);
    }

    /// <summary>The facts of the pod looked up for this reference, refused when they are another pod's (another UID): the sandbox is for a pod that no longer exists.</summary>
    /// <exception cref="PodLookupException">The pod found has another UID.</exception>
    public PodFacts Checked(PodFacts facts, string source)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Uid is null || facts.Uid is null || facts.Uid == Uid
            ? facts
            : throw new PodLookupException($"looking up pod {this} through {source}: it is now UID {facts.Uid}, not {Uid} (stale: the sandbox is for a pod that no longer exists)");
    }

    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => Namespace + "/" + Name;
}

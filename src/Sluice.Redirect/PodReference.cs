using Sluice.Cni;

namespace Sluice.Redirect;

/// <summary>The pod a CNI call is for, from <c>K8S_POD_NAMESPACE</c> and <c>K8S_POD_NAME</c> in CNI_ARGS.</summary>
public sealed record PodReference(string Namespace, string Name)
{
    /// <summary>Null when the runtime gave no Kubernetes pod (not a Kubernetes sandbox: nothing to decide).</summary>
    public static PodReference? From(CniArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var ns = args.Get(CniArgs.PodNamespace);
        var name = args.Get(CniArgs.PodName);
        return string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) ? null : new PodReference(ns, name);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}

namespace Sluice.Capture;

/// <summary>When the container runtime's own loopback step (bringing the pod's lo up and checking its addresses) runs, relative to the pod's chain.</summary>
public enum RuntimeLoopbackOrder
{
    /// <summary>
    /// It may run at the same time as the chain: containerd's CRI through go-cni runs the
    /// <c>loopback</c> plugin as a network of its own beside the pod's (1.x, and 2.x unless
    /// <c>use_internal_loopback</c> is set). The passthrough address waits for it.
    /// </summary>
    BesideChain,

    /// <summary>
    /// It has finished before the chain starts: CRI-O (ocicni brings lo up and checks it in its own
    /// process before any network), containerd 2.x with <c>use_internal_loopback = true</c>, go-cni
    /// with <c>setup_serially = true</c>. A lo found up costs no wait.
    /// </summary>
    BeforeChain,
}

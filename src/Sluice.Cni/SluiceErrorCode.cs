namespace Sluice.Cni;

/// <summary>Error codes Sluice's plugins share (the spec leaves 100 and above to plugins); documented in docs/errors.md.</summary>
public static class SluiceErrorCode
{
    /// <summary>The kernel refused a change; the message names the operation, the object and the errno.</summary>
    public const int KernelRejected = 100;

    /// <summary>Firewall rules could not be applied or read (iptables tools or nftables).</summary>
    public const int FirewallFailed = 101;

    /// <summary>The Kubernetes API could not answer a lookup the plugin needs.</summary>
    public const int KubernetesUnavailable = 102;

    /// <summary>CHECK found state that differs from what ADD set up.</summary>
    public const int CheckFailed = 103;

    /// <summary>A pod's own settings (annotations, proxy securityContext) are malformed: the message names the annotation and the value.</summary>
    public const int InvalidPodSettings = 104;
}

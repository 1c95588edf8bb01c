namespace Sluice.Kube.Config;

/// <summary>
/// A kubeconfig (or in-cluster configuration) that cannot be used; the message names the
/// file and the field, e.g. "kubeconfig /etc/cni/net.d/sluice-kubeconfig: context 'x' names
/// user 'y', which is not defined".
/// </summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Sluice.Redirect;

/// <summary>Where pods' metadata comes from (the API server, through the kubeconfig).</summary>
public interface IPodSource
{
    /// <summary>The pod, or a <see cref="PodLookupException"/> saying which server, which pod and what went wrong.</summary>
    PodFacts Get(string podNamespace, string podName);

    /// <summary>The pod <paramref name="pod"/> names, refused when it has another UID than the reference's.</summary>
    PodFacts Get(PodReference pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Checked(Get(pod.Namespace, pod.Name), "the API server");
    }
}

/// <summary>A pod could not be looked up (after the bounded retries); the message says why.</summary>
public sealed class PodLookupException(string message, Exception? inner = null) : Exception(message, inner);

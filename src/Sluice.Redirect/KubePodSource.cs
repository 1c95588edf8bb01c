using Sluice.Kube.Client;
using Sluice.Kube.Config;
using Sluice.Kube.Models;

namespace Sluice.Redirect;

/// <summary>Pods from the API server named by the configured kubeconfig, within the configured time bounds.</summary>
internal sealed class KubePodSource(RedirectSettings settings) : IPodSource
{
    public PodFacts Get(string podNamespace, string podName)
    {
        KubeConfig config;
        try
        {
            config = KubeConfig.Load(settings.Kubeconfig);
        }
        catch (KubeConfigException error)
        {
            throw new PodLookupException($"looking up pod {podNamespace}/{podName}: {error.Message}", error);
        }

        if (config.CertificateAuthorityPem is not null || config.InsecureSkipTlsVerify)
        {
            // Only the configured CA is trusted, yet .NET's chain builder on OpenSSL reads and
            // parses the whole system store first (about 100 ms per process). With OpenSSL's
            // own variables pointing at nothing, that store is empty. Values set by the
            // operator are kept.
            Sluice.Linux.NativeEnvironment.SetIfUnset("SSL_CERT_FILE", "/dev/null");
            Sluice.Linux.NativeEnvironment.SetIfUnset("SSL_CERT_DIR", "/dev/null");
        }

        var options = new KubeClientOptions
        {
            RequestTimeout = settings.LookupTimeout,
            MaxAttempts = settings.LookupAttempts,
            TotalTimeout = settings.LookupTotal,
        };
        try
        {
            using var client = new KubeClient(config, options);
            var pod = client.GetPodAsync(podNamespace, podName).GetAwaiter().GetResult();
            return Facts(pod, podNamespace, podName);
        }
        catch (Exception error) when (error is KubeApiException or KubeConfigException)
        {
            throw new PodLookupException(error.Message, error);
        }
    }

    internal static PodFacts Facts(Pod pod, string podNamespace, string podName) => new()
    {
        Namespace = pod.Metadata.Namespace ?? podNamespace,
        Name = pod.Metadata.Name ?? podName,
        Labels = pod.Metadata.Labels ?? [],
        Annotations = pod.Metadata.Annotations ?? [],
        Containers = pod.Spec.Containers.Select(Container).ToList(),
        InitContainers = pod.Spec.InitContainers.Select(Container).ToList(),
    };

    private static ContainerFacts Container(Container container) => new()
    {
        Name = container.Name ?? "",
        Env = container.Env.Where(e => e.Name is not null && e.Value is not null).GroupBy(e => e.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal),
        RunAsUser = container.SecurityContext?.RunAsUser,
        RunAsGroup = container.SecurityContext?.RunAsGroup,
        RestartPolicy = container.RestartPolicy,
    };
}

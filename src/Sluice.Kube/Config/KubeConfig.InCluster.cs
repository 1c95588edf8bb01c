using System.Net;
using Sluice.Kube.Errors;

namespace Sluice.Kube.Config;

public sealed partial class KubeConfig
{
    /// <summary>Where Kubernetes mounts a pod's service account token and the cluster CA.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// The configuration a pod gets from Kubernetes: the API server from
    /// KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT, the service account token file (re-read
    /// as it rotates) and the cluster CA from <paramref name="serviceAccountDirectory"/>.
    /// </summary>
    /// <param name="serviceAccountDirectory">Overrides <see cref="ServiceAccountDirectory"/> (tests).</param>
    /// <param name="getEnvironmentVariable">Overrides the process environment (tests).</param>
    public static KubeConfig InCluster(string? serviceAccountDirectory = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        const string Source = "in-cluster config";
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var host = getEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = getEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException($"{Source}: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (not running in a pod?)");
        }

        var directory = serviceAccountDirectory ?? ServiceAccountDirectory;
        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubeConfigException($"{Source}: service account token {tokenFile} does not exist");
        }

        var caFile = Path.Combine(directory, "ca.crt");
        byte[] ca;
        try
        {
            ca = KubeFile.ReadBytes(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{Source}: CA {caFile} cannot be read: {ErrorWords.FileProblem(e)}", e);
        }

        var namespaceFile = Path.Combine(directory, "namespace");
        var ns = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : "";
        var hostPart = IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]"
            : host;
        return new KubeConfig
        {
            Server = $"https://{hostPart}:{port}",
            CertificateAuthorityPem = ca,
            TokenFile = tokenFile,
            Namespace = ns.Length == 0 ? "default" : ns,
            Source = Source,
        };
    }
}

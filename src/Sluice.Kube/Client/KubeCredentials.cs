using System.Text;
using Sluice.Kube.Config;

namespace Sluice.Kube.Client;

/// <summary>What a configuration authenticates with right now.</summary>
/// <param name="Token">The bearer token: inline, from the token file as it is now, or from the exec plugin.</param>
/// <param name="ClientCertificatePem">The client certificate (with <paramref name="ClientKeyPem"/>): from the kubeconfig or the exec plugin.</param>
public sealed record KubeCredentials(string? Token, byte[]? ClientCertificatePem, byte[]? ClientKeyPem)
{
    /// <summary>
    /// The credentials <paramref name="config"/> stands for now; runs its exec plugin when the
    /// cached credential has expired (so a kubeconfig written from them holds no plugin to run).
    /// </summary>
    /// <exception cref="KubeConfigException">The token file cannot be read, or the plugin gave no usable credential.</exception>
    public static KubeCredentials Current(KubeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (token, plugin) = new BearerTokenSource(config).ForRequest();
        return plugin is { ClientCertificatePem: { } certificate, ClientKeyPem: { } key }
            ? new KubeCredentials(token, Encoding.ASCII.GetBytes(certificate), Encoding.ASCII.GetBytes(key))
            : new KubeCredentials(token, config.ClientCertificatePem, config.ClientKeyPem);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sluice.Kube.Config;

namespace Sluice.Kube.Client;

/// <summary>Turns a client certificate and key PEM (from the kubeconfig or an exec plugin) into a certificate TLS can present.</summary>
internal static class ClientCertificates
{
    public static X509Certificate2? Load(KubeConfig config) =>
        config.ClientCertificatePem is null || config.ClientKeyPem is null
            ? null
            : Load(System.Text.Encoding.ASCII.GetString(config.ClientCertificatePem), System.Text.Encoding.ASCII.GetString(config.ClientKeyPem), config.Source);

    public static X509Certificate2 Load(string certificatePem, string keyPem, string source)
    {
        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{source}: the client certificate or key is not usable PEM: {e.Message}", e);
        }
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sluice.Kube.Config;

namespace Sluice.Kube.Client;

/// <summary>Turns a kubeconfig's client certificate and key PEM into a certificate TLS can present.</summary>
internal static class ClientCertificates
{
    public static X509Certificate2? Load(KubeConfig config)
    {
        if (config.ClientCertificatePem is null || config.ClientKeyPem is null)
        {
            return null;
        }

        try
        {
            var certificatePem = System.Text.Encoding.ASCII.GetString(config.ClientCertificatePem);
            var keyPem = System.Text.Encoding.ASCII.GetString(config.ClientKeyPem);
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new KubeConfigException($"{config.Source}: the client certificate or key is not usable PEM: {e.Message}", e);
        }
    }
}

using Sluice.Linux;

namespace Sluice.Kube.Client;

/// <summary>
/// Keeps this process from reading the system's trust store when its only API server is trusted
/// through the kubeconfig's CA (or not checked at all).
/// <para>
/// A <see cref="TlsPolicy"/> with a configured CA already builds the server's chain with that CA
/// as the only anchor (<c>X509ChainTrustMode.CustomRootTrust</c>), but on Linux .NET's chain
/// builder loads the system store anyway, before it looks at the trust mode: every file under
/// OpenSSL's certificate directory and its bundle, parsed into the root and intermediate pools
/// (OpenSslX509ChainProcessor.InitiateChain calls OpenSslCachedSystemStoreProvider first). For a
/// process that makes one request, that was most of its time (docs/benchmarks.md). The store is
/// found through OpenSSL's SSL_CERT_FILE and SSL_CERT_DIR, read with getenv() when the first chain
/// is built; pointed at nothing, it is empty.
/// </para>
/// <para>
/// They are replaced even when the environment set them (this machine's and many CI images'
/// do, and containerd passes its own environment to plugins, sluice-redirect to sluice-kube):
/// with a custom root nothing the system store holds is an anchor; its intermediates would only
/// complete a chain whose server left out an intermediate that the kubeconfig's CA issued, which
/// no API server set-up relies on. Child processes (exec credential plugins) keep the variables:
/// they get .NET's copy of the environment, which this does not touch.
/// </para>
/// </summary>
public static class SystemTrustStore
{
    /// <summary>Call before the first TLS handshake of a process whose API server is trusted through its kubeconfig.</summary>
    public static void KeepUnloaded()
    {
        NativeEnvironment.Set("SSL_CERT_FILE", "/dev/null");
        NativeEnvironment.Set("SSL_CERT_DIR", "/dev/null");
    }
}

namespace Sluice.Kube.Config;

/// <summary>
/// Everything needed to reach one API server as one user: the server address, how to trust
/// it, and how to authenticate. Built from a kubeconfig file's chosen context
/// (<see cref="Load"/>), from a pod's service account (<see cref="InCluster"/>), or directly.
/// </summary>
public sealed partial class KubeConfig
{
    /// <summary>The API server's base URL, e.g. "https://10.96.0.1:443".</summary>
    public required string Server { get; init; }

    /// <summary>PEM of the certificate authorities to trust as the only roots; null means the system's roots.</summary>
    public byte[]? CertificateAuthorityPem { get; init; }

    /// <summary>Accept any server certificate (kubeconfig insecure-skip-tls-verify).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name the server certificate is checked against instead of the server URL's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>A bearer token given inline.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bearer token; re-read when it changes, because tokens rotate.</summary>
    public string? TokenFile { get; init; }

    /// <summary>PEM of the client certificate (with <see cref="ClientKeyPem"/>) for certificate authentication.</summary>
    public byte[]? ClientCertificatePem { get; init; }

    /// <summary>PEM of the client certificate's private key.</summary>
    public byte[]? ClientKeyPem { get; init; }

    /// <summary>
    /// A credential plugin to run for a token or client certificate. Null when the user has none,
    /// and when it also has a token, token file or client certificate: those win, as in kubectl.
    /// </summary>
    public ExecCredentialSettings? Exec { get; init; }

    /// <summary>The context's namespace ("default" when it names none).</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Where this configuration came from, for messages: "kubeconfig /path" or "in-cluster config".</summary>
    public string Source { get; init; } = "kubeconfig";
}

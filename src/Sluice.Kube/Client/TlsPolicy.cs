using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Sluice.Kube.Config;

namespace Sluice.Kube.Client;

/// <summary>
/// Decides whether to trust the API server's certificate: skip the check when the
/// configuration says insecure, else build the chain with the configured CA as the only
/// trust anchor (the system's roots do not count), else use the system's roots. The last
/// rejection is kept so an error message can say why the handshake failed.
/// </summary>
internal sealed class TlsPolicy : IDisposable
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly bool _insecure;
    private readonly string? _serverName;

    public TlsPolicy(KubeConfig config)
    {
        _insecure = config.InsecureSkipTlsVerify;
        _serverName = config.TlsServerName;
        if (config.CertificateAuthorityPem is { } pem && !_insecure)
        {
            _authorities = [];
            try
            {
                _authorities.ImportFromPem(System.Text.Encoding.ASCII.GetString(pem));
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new KubeConfigException($"{config.Source}: the certificate authority is not valid PEM: {e.Message}", e);
            }

            if (_authorities.Count == 0)
            {
                throw new KubeConfigException($"{config.Source}: the certificate authority holds no PEM certificate");
            }
        }
    }

    /// <summary>
    /// The policy the TLS stack builds the server's chain with before <see cref="Validate"/> is
    /// asked. With a configured CA (or none needed, when insecure) it names the only anchors, so
    /// the handshake never loads the system's roots: reading and parsing every file under
    /// /etc/ssl/certs costs a plugin process about 100 ms. Null: the system's roots decide.
    /// </summary>
    public X509ChainPolicy? ChainPolicy()
    {
        if (_authorities is null && !_insecure)
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        if (_authorities is not null)
        {
            policy.CustomTrustStore.AddRange(_authorities);
        }

        return policy;
    }

    /// <summary>Why the last server certificate was rejected, or null.</summary>
    public string? LastRejection { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_insecure)
        {
            return true;
        }

        if (certificate is null)
        {
            return Reject("the server sent no certificate");
        }

        if (_serverName is not null)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            using var copy = certificate is X509Certificate2 ? null : new X509Certificate2(certificate);
            if (!(copy ?? (X509Certificate2)certificate).MatchesHostname(_serverName))
            {
                return Reject($"the server certificate is not valid for tls-server-name '{_serverName}'");
            }
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Reject("the server certificate does not name the server's host");
        }

        return _authorities is null ? CheckSystemTrust(errors) : CheckAgainstAuthorities(chain, errors);
    }

    private bool CheckSystemTrust(SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None || Reject($"the server certificate is not trusted by the system's roots ({errors})");

    /// <summary>
    /// The TLS stack built the chain with <see cref="ChainPolicy"/> (the configured CA as the only
    /// anchor) before asking; its verdict is <paramref name="errors"/>, its reasons are in the chain.
    /// </summary>
    private bool CheckAgainstAuthorities(X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            LastRejection = null;
            return true;
        }

        var problems = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct() ?? [errors.ToString()];
        return Reject($"the server certificate is not signed by the configured certificate authority ({string.Join(", ", problems)})");
    }

    private bool Reject(string why)
    {
        LastRejection = why;
        return false;
    }

    public void Dispose()
    {
        if (_authorities is not null)
        {
            foreach (var authority in _authorities)
            {
                authority.Dispose();
            }
        }
    }
}

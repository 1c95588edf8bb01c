using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sluice.TestSupport;

/// <summary>
/// A certificate with its private key, made in-process for TLS tests: a CA, a server
/// certificate for 127.0.0.1/localhost, or a client certificate, each also as PEM text the
/// way a kubeconfig carries them.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string keyPem)
    {
        Certificate = certificate;
        KeyPem = keyPem;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public string KeyPem { get; }

    /// <summary>A self-signed certificate authority.</summary>
    public static TestCertificate CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificate(Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1))), key.ExportECPrivateKeyPem());
    }

    /// <summary>A server certificate for IP 127.0.0.1 and DNS localhost, signed by this CA.</summary>
    public TestCertificate IssueServer()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        return Issue("CN=kube-apiserver", "1.3.6.1.5.5.7.3.1", names.Build());
    }

    /// <summary>A client certificate for user <paramref name="commonName"/>, signed by this CA.</summary>
    public TestCertificate IssueClient(string commonName) => Issue($"CN={commonName}", "1.3.6.1.5.5.7.3.2", null);

    private TestCertificate Issue(string subject, string usageOid, X509Extension? alternativeNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Certificate, now.AddHours(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        return new TestCertificate(Reload(signed.CopyWithPrivateKey(key)), key.ExportECPrivateKeyPem());
    }

    /// <summary>Round-trips through PKCS#12 so the private key is a persisted one that SslStream can use.</summary>
    private static X509Certificate2 Reload(X509Certificate2 ephemeral)
    {
        using (ephemeral)
        {
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
    }

    public void Dispose() => Certificate.Dispose();
}

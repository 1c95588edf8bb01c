namespace Sluice.Kube.Client;

/// <summary>What an exec credential plugin returned: a bearer token, a client certificate and key (PEM), or both, and until when they hold.</summary>
internal sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? Expires)
{
    /// <summary>Usable at <paramref name="now"/>: no expiry given, or not reached yet.</summary>
    public bool IsFresh(DateTimeOffset now) => Expires is not { } expires || now < expires;
}

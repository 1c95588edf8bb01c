using System.Text;

namespace Sluice.TestSupport;

public sealed partial class FakeKubeApi
{
    /// <summary>
    /// Writes a kubeconfig (YAML, laid out as kubectl writes it) for this server: its CA as
    /// certificate-authority-data and the current <see cref="Token"/> inline, or a tokenFile,
    /// or a client certificate. Returns <paramref name="path"/>.
    /// </summary>
    public string WriteKubeconfig(
        string path,
        string? tokenFile = null,
        TestCertificate? clientCertificate = null,
        bool insecureSkipTlsVerify = false,
        bool inlineToken = true)
    {
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nclusters:\n- cluster:\n");
        if (insecureSkipTlsVerify)
        {
            yaml.Append("    insecure-skip-tls-verify: true\n");
        }
        else
        {
            yaml.Append($"    certificate-authority-data: {Base64(Authority.CertificatePem)}\n");
        }

        yaml.Append($"    server: {Server}\n  name: fake\ncontexts:\n- context:\n    cluster: fake\n    user: sluice\n  name: fake\n");
        yaml.Append("current-context: fake\nkind: Config\npreferences: {}\nusers:\n- name: sluice\n  user:\n");
        if (clientCertificate is not null)
        {
            yaml.Append($"    client-certificate-data: {Base64(clientCertificate.CertificatePem)}\n");
            yaml.Append($"    client-key-data: {Base64(clientCertificate.KeyPem)}\n");
        }

        if (tokenFile is not null)
        {
            yaml.Append($"    tokenFile: {tokenFile}\n");
        }
        else if (inlineToken && Token is not null)
        {
            yaml.Append($"    token: {Token}\n");
        }

        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>Writes the currently accepted <see cref="Token"/> to <paramref name="path"/>.</summary>
    public string WriteTokenFile(string path)
    {
        File.WriteAllText(path, Token + "\n");
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}

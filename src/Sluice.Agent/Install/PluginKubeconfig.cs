using System.Text;
using Sluice.Kube.Client;
using Sluice.Kube.Config;
using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// The kubeconfig the plugins use, written from the agent's own configuration (the service
/// account in cluster): server, CA data and the current token (or client certificate) inline,
/// mode 0600; an exec plugin in the agent's kubeconfig is run by the agent, and its credential
/// written here. With <paramref name="pluginToken"/> (the plugins' own service account), that token
/// is written instead of the agent's credential. Rewritten when anything in it changes, which is
/// how a rotated token reaches the plugins.
/// </summary>
public sealed class PluginKubeconfig(string path, Func<KubeConfig> source, Func<string>? pluginToken = null)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    /// <summary>Writes the file when its content would change; true when it did.</summary>
    /// <exception cref="KubeConfigException">The agent's own configuration cannot be read.</exception>
    public bool Reconcile()
    {
        var text = Render(source(), pluginToken?.Invoke());
        if (File.Exists(Path) && File.ReadAllText(Path) == text && File.GetUnixFileMode(Path) == OwnerOnly)
        {
            return false;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        DurableFile.Write(Path, Encoding.UTF8.GetBytes(text), FileSync.DataAndDirectory, OwnerOnly);
        File.SetUnixFileMode(Path, OwnerOnly);
        return true;
    }

    /// <summary>Removes the plugins' kubeconfig at <paramref name="path"/>; true when it was there.</summary>
    public static bool Remove(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>The kubeconfig text (YAML, laid out as kubectl writes it): the server of <paramref name="config"/>, with <paramref name="token"/> or else its credential.</summary>
    public static string Render(KubeConfig config, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var yaml = new StringBuilder("# Written by sluice-agent for the Sluice CNI plugins; rewritten when the token rotates.\n");
        yaml.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n");
        yaml.Append($"    server: {config.Server}\n");
        if (config.InsecureSkipTlsVerify)
        {
            yaml.Append("    insecure-skip-tls-verify: true\n");
        }
        else if (config.CertificateAuthorityPem is { } ca)
        {
            yaml.Append($"    certificate-authority-data: {Convert.ToBase64String(ca)}\n");
        }

        if (config.TlsServerName is { } serverName)
        {
            yaml.Append($"    tls-server-name: {serverName}\n");
        }

        yaml.Append("users:\n- name: sluice\n  user:\n");
        // The plugins' own token when given; the agent's credential (token, client certificate) otherwise, never both.
        var credentials = token is null ? KubeCredentials.Current(config) : null;
        if ((token ?? credentials?.Token) is { } bearer)
        {
            yaml.Append($"    token: {bearer}\n");
        }

        if (credentials is { ClientCertificatePem: { } certificate, ClientKeyPem: { } key })
        {
            yaml.Append($"    client-certificate-data: {Convert.ToBase64String(certificate)}\n");
            yaml.Append($"    client-key-data: {Convert.ToBase64String(key)}\n");
        }

        yaml.Append("contexts:\n- name: sluice\n  context:\n    cluster: local\n    user: sluice\ncurrent-context: sluice\n");
        return yaml.ToString();
    }
}

using System.Text;
using Sluice.Kube.Config;
using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// The kubeconfig the plugins use, written from the agent's own configuration (the service
/// account in cluster): server, CA data and the current token inline, mode 0600. Rewritten when
/// anything in it changes, which is how a rotated token reaches the plugins.
/// </summary>
public sealed class PluginKubeconfig(string path, Func<KubeConfig> source)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = path;

    /// <summary>Writes the file when its content would change; true when it did.</summary>
    /// <exception cref="KubeConfigException">The agent's own configuration cannot be read.</exception>
    public bool Reconcile()
    {
        var text = Render(source());
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

    /// <summary>The kubeconfig text (YAML, laid out as kubectl writes it).</summary>
    public static string Render(KubeConfig config)
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
        if (CurrentToken(config) is { } token)
        {
            yaml.Append($"    token: {token}\n");
        }

        if (config.ClientCertificatePem is { } certificate && config.ClientKeyPem is { } key)
        {
            yaml.Append($"    client-certificate-data: {Convert.ToBase64String(certificate)}\n");
            yaml.Append($"    client-key-data: {Convert.ToBase64String(key)}\n");
        }

        yaml.Append("contexts:\n- name: sluice\n  context:\n    cluster: local\n    user: sluice\ncurrent-context: sluice\n");
        return yaml.ToString();
    }

    private static string? CurrentToken(KubeConfig config) =>
        config.TokenFile is { } file ? File.ReadAllText(file).Trim() : config.Token;
}

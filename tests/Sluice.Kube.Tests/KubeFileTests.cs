using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>
/// Files a kubeconfig names are read only when they are regular files of a bounded size: a FIFO
/// would block the agent or sluice-kube forever, a device such as /dev/zero never ends.
/// </summary>
public sealed class KubeFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-kube-files");

    public void Dispose() => _dir.Dispose();

    private static string Kubeconfig(string user) => $$"""
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
        users:
        - name: u
          user: {{{user}}}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """;

    private string Fifo(string name)
    {
        var path = _dir.Combine(name);
        Sluice.TestSupport.ProcessRunner.Check("/usr/bin/mkfifo", path);
        return path;
    }

    [Fact]
    public void Load_KubeconfigThatIsADevice_IsRefusedNamingWhatItIs()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.Load("/dev/zero"));

        Assert.Equal("kubeconfig /dev/zero: cannot be read: it is a character device, not a regular file", error.Message);
    }

    [Fact]
    public void Load_ClientCertificateThatIsAFifo_IsRefusedWithoutBlocking()
    {
        var fifo = Fifo("client.crt");
        var path = _dir.Combine("kubeconfig");
        File.WriteAllText(path, Kubeconfig($"client-certificate: {fifo}, client-key-data: S0VZCg=="));

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.Load(path));

        Assert.Contains($"client-certificate file {fifo} cannot be read: it is a FIFO, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KubeconfigLargerThanTheLimit_IsRefused()
    {
        var path = _dir.Combine("kubeconfig");
        File.WriteAllText(path, Kubeconfig("token: t") + "\n#" + new string('x', KubeFile.MaxBytes));

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.Load(path));

        Assert.Equal($"kubeconfig {path}: cannot be read: it is larger than 4 MiB", error.Message);
    }

    [Fact]
    public async Task Request_WithATokenFileThatIsAFifo_FailsWithoutBlocking()
    {
        var fifo = Fifo("token");
        var path = _dir.Combine("kubeconfig");
        File.WriteAllText(path, Kubeconfig($"tokenFile: {fifo}"));
        using var client = new KubeClient(KubeConfig.Load(path));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken));

        Assert.Contains($"token file {fifo} cannot be read: it is a FIFO, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KubeconfigWithAByteOrderMark_ReadsAsWithout()
    {
        var path = _dir.Combine("kubeconfig");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Kubeconfig("token: t"))]);

        Assert.Equal("t", KubeConfig.Load(path).Token);
    }
}

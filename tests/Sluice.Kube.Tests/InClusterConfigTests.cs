using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-serviceaccount");

    public InClusterConfigTests()
    {
        File.WriteAllText(_dir.Combine("token"), "sa-token\n");
        File.WriteAllText(_dir.Combine("ca.crt"), "CA PEM");
        File.WriteAllText(_dir.Combine("namespace"), "kube-system");
    }

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(string host, string port) =>
        name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        };

    [Fact]
    public void InCluster_ServiceAccountDirectory_GivesTokenFileCaAndNamespace()
    {
        var config = KubeConfig.InCluster(_dir.Path, Env("10.96.0.1", "443"));

        Assert.Equal("https://10.96.0.1:443", config.Server);
        Assert.Equal(_dir.Combine("token"), config.TokenFile);
        Assert.Null(config.Token);
        Assert.Equal("CA PEM", System.Text.Encoding.ASCII.GetString(config.CertificateAuthorityPem!));
        Assert.Equal("kube-system", config.Namespace);
    }

    [Fact]
    public void InCluster_Ipv6ServiceHost_IsBracketedInTheUrl()
    {
        var config = KubeConfig.InCluster(_dir.Path, Env("fd00:10:96::1", "443"));

        Assert.Equal("https://[fd00:10:96::1]:443", config.Server);
    }

    [Fact]
    public void InCluster_ServiceEnvironmentMissing_FailsNamingTheVariable()
    {
        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.InCluster(_dir.Path, _ => null));

        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InCluster_TokenFileMissing_FailsNamingTheFile()
    {
        File.Delete(_dir.Combine("token"));

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.InCluster(_dir.Path, Env("10.96.0.1", "443")));

        Assert.Contains(_dir.Combine("token"), error.Message, StringComparison.Ordinal);
    }
}

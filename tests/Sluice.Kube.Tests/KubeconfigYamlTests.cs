using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class KubeconfigYamlTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-kubeconfig");

    public void Dispose() => _dir.Dispose();

    private KubeConfig Load(string yaml, string? context = null)
    {
        var path = _dir.Combine("config");
        File.WriteAllText(path, yaml);
        return KubeConfig.Load(path, context);
    }

    private const string KubectlStyle = """
        # written by kubectl
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
            server: "https://10.96.0.1:443"   # the service address
          name: kind-kind
        - cluster:
            insecure-skip-tls-verify: true
            server: https://other.example:6443
            tls-server-name: api.example
          name: 'other # not a comment'
        contexts:
        - context:
            cluster: kind-kind
            namespace: kube-system
            user: kind-kind
          name: kind-kind
        - context:
            cluster: 'other # not a comment'
            user: "it's me"
          name: other
        current-context: kind-kind
        kind: Config
        preferences: {}
        users:
        - name: kind-kind
          user:
            token: "abc.def\"ghi"
        - name: "it's me"
          user:
            token: 'o''neil'
        """;

    [Fact]
    public void Load_CurrentContext_PicksServerTokenNamespaceAndDecodedCa()
    {
        var config = Load(KubectlStyle);

        Assert.Equal("https://10.96.0.1:443", config.Server);
        Assert.Equal("abc.def\"ghi", config.Token);
        Assert.Equal("kube-system", config.Namespace);
        Assert.Equal("-----BEGIN CERTIFICATE-----\n", System.Text.Encoding.ASCII.GetString(config.CertificateAuthorityPem!));
        Assert.False(config.InsecureSkipTlsVerify);
        Assert.Contains(_dir.Path, config.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamedContext_OverridesCurrentContextAndKeepsQuotedHashesAndApostrophes()
    {
        var config = Load(KubectlStyle, "other");

        Assert.Equal("https://other.example:6443", config.Server);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("api.example", config.TlsServerName);
        Assert.Equal("o'neil", config.Token);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Load_ContextWithUndefinedUser_FailsNamingFileLineContextAndUser()
    {
        var yaml = KubectlStyle.Replace("user: kind-kind", "user: nobody", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.Equal($"kubeconfig {_dir.Combine("config")}: line 17: context 'kind-kind' names user 'nobody', which is not defined", error.Message);
    }

    [Fact]
    public void Load_ContextWithUndefinedCluster_FailsNamingContextAndCluster()
    {
        var yaml = KubectlStyle.Replace("cluster: kind-kind", "cluster: gone", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.EndsWith("context 'kind-kind' names cluster 'gone', which is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CurrentContextMissing_FailsNamingTheField()
    {
        var yaml = KubectlStyle.Replace("current-context: kind-kind", "", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.Contains("current-context is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownContextRequested_FailsNamingIt()
    {
        var error = Assert.Throws<KubeConfigException>(() => Load(KubectlStyle, "nope"));

        Assert.EndsWith("context 'nope' is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClusterWithoutServer_FailsNamingTheCluster()
    {
        var yaml = KubectlStyle.Replace("    server: \"https://10.96.0.1:443\"   # the service address\n", "", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.EndsWith("cluster 'kind-kind' has no server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateAuthorityDataNotBase64_FailsNamingClusterAndField()
    {
        var yaml = KubectlStyle.Replace("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "not*base64", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.EndsWith("cluster 'kind-kind': certificate-authority-data is not valid base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RelativeFilePaths_ResolveAgainstTheKubeconfigDirectory()
    {
        Directory.CreateDirectory(_dir.Combine("pki"));
        File.WriteAllText(_dir.Combine("pki", "ca.crt"), "CA");
        File.WriteAllText(_dir.Combine("pki", "client.crt"), "CERT");
        File.WriteAllText(_dir.Combine("pki", "client.key"), "KEY");
        var yaml = """
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: pki/ca.crt
            users:
            - name: u
              user:
                client-certificate: ./pki/client.crt
                client-key: pki/client.key
                tokenFile: pki/token
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """;

        var config = Load(yaml);

        Assert.Equal("CA", System.Text.Encoding.ASCII.GetString(config.CertificateAuthorityPem!));
        Assert.Equal("CERT", System.Text.Encoding.ASCII.GetString(config.ClientCertificatePem!));
        Assert.Equal("KEY", System.Text.Encoding.ASCII.GetString(config.ClientKeyPem!));
        Assert.Equal(_dir.Combine("pki", "token"), config.TokenFile);
    }

    [Fact]
    public void Load_CertificateAuthorityFileMissing_FailsNamingFieldAndPath()
    {
        var yaml = """
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: missing.crt
            contexts:
            - name: x
              context:
                cluster: c
            current-context: x
            """;

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.Contains($"cluster 'c': certificate-authority file {_dir.Combine("missing.crt")} cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ClientCertificateWithoutKey_FailsNamingTheUser()
    {
        var yaml = KubectlStyle.Replace("token: \"abc.def\\\"ghi\"", "client-certificate-data: Q0VSVA==", StringComparison.Ordinal);

        var error = Assert.Throws<KubeConfigException>(() => Load(yaml));

        Assert.EndsWith("user 'kind-kind' has client-certificate but no client-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenYaml_FailsOnOneLineWithFileAndLineNumber()
    {
        var error = Assert.Throws<KubeConfigException>(() => Load("clusters:\n- name: x\n  cluster: {server: [unclosed\n"));

        Assert.StartsWith($"kubeconfig {_dir.Combine("config")}: line ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_ConfigWrittenAsJson_ReadsAsTheYamlDoes()
    {
        var json = """
            {
              "kind": "Config",
              "apiVersion": "v1",
              "clusters": [{"name": "c", "cluster": {"server": "https://[fd00::1]:6443", "insecure-skip-tls-verify": true}}],
              "users": [{"name": "u", "user": {"token": "t0k"}}],
              "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u", "namespace": "sluice"}}],
              "current-context": "x"
            }
            """;

        var config = Load(json);

        Assert.Equal("https://[fd00::1]:6443", config.Server);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("t0k", config.Token);
        Assert.Equal("sluice", config.Namespace);
    }
}

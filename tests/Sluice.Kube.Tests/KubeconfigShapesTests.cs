using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>Each shape in <see cref="KubeconfigShapes"/> read as kubectl reads it.</summary>
public sealed class KubeconfigShapesTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-kubeconfig-shapes");

    public void Dispose() => _dir.Dispose();

    private KubeConfig Load(string text, string? context = null)
    {
        var path = _dir.Combine("config");
        File.WriteAllText(path, text);
        return KubeConfig.Load(path, context);
    }

    [Theory]
    [InlineData("kind", "https://127.0.0.1:37019")]
    [InlineData("k3s", "https://127.0.0.1:6443")]
    public void Load_ClientCertificateShapes_ReadServerCaCertificateAndKey(string shape, string server)
    {
        var config = Load(shape == "kind" ? KubeconfigShapes.Kind : KubeconfigShapes.K3s);

        Assert.Equal(server, config.Server);
        Assert.Equal("-----BEGIN CERTIFICATE-----\n", System.Text.Encoding.ASCII.GetString(config.CertificateAuthorityPem!));
        Assert.Equal("-----BEGIN CERTIFICATE-----\n", System.Text.Encoding.ASCII.GetString(config.ClientCertificatePem!));
        Assert.Equal("KEY\n", System.Text.Encoding.ASCII.GetString(config.ClientKeyPem!));
        Assert.Null(config.Token);
        Assert.Null(config.Exec);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Load_EksShape_ReadsTheAwsExecPluginWithArgumentsAndEnvironment()
    {
        var config = Load(KubeconfigShapes.Eks);

        Assert.Equal("https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com", config.Server);
        var exec = Assert.IsType<ExecCredentialSettings>(config.Exec);
        Assert.Equal("aws", exec.Command);
        Assert.Equal("client.authentication.k8s.io/v1beta1", exec.ApiVersion);
        Assert.Equal(["--region", "us-west-2", "eks", "get-token", "--cluster-name", "prod", "--output", "json"], exec.Arguments);
        Assert.Equal([new KeyValuePair<string, string>("AWS_PROFILE", "platform")], exec.Environment);
        Assert.Equal("IfAvailable", exec.InteractiveMode);
        Assert.Null(exec.ClusterJson);
    }

    [Fact]
    public void Load_GkeShape_ReadsTheMultiLineInstallHintAndProvidesClusterInfo()
    {
        var config = Load(KubeconfigShapes.Gke);

        var exec = Assert.IsType<ExecCredentialSettings>(config.Exec);
        Assert.Equal("gke-gcloud-auth-plugin", exec.Command);
        Assert.Empty(exec.Arguments);
        Assert.Equal(
            "Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
            exec.InstallHint);
        Assert.Equal($$"""{"server":"https://34.118.42.7","certificate-authority-data":"{{KubeconfigShapes.Pem64}}"}""", exec.ClusterJson);
    }

    [Fact]
    public void Load_AksKubeloginShape_ReadsTheBlockScalarHintAndNullEnvironment()
    {
        var config = Load(KubeconfigShapes.Aks);

        Assert.Equal("https://shop-dns-4f2a9c1b.hcp.westeurope.azmk8s.io:443", config.Server);
        var exec = Assert.IsType<ExecCredentialSettings>(config.Exec);
        Assert.Equal("kubelogin", exec.Command);
        Assert.Equal("azurecli", exec.Arguments[^1]);
        Assert.Empty(exec.Environment);
        Assert.StartsWith("kubelogin is not installed which is required", exec.InstallHint, StringComparison.Ordinal);
        Assert.EndsWith("https://aka.ms/aks/kubelogin", exec.InstallHint, StringComparison.Ordinal);
        Assert.Null(exec.ClusterJson);
    }

    [Fact]
    public void Load_ByHand_ReadsFlowStyleAnchorsMergeKeysFoldedScalarsAndYaml11Booleans()
    {
        var config = Load(KubeconfigShapes.ByHand);

        Assert.Equal("https://[fd00::10]:6443", config.Server);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Equal("abc. def", config.Token);
        Assert.Equal("sluice-system", config.Namespace);
        Assert.Equal("sluice-system", Load(KubeconfigShapes.ByHand, "also-lab").Namespace);
    }

    [Fact]
    public void Load_FlowStyleContextFromTheIssue_IsRead()
    {
        var config = Load(KubeconfigShapes.K3s.Replace(
            "- context:\n    cluster: default\n    user: default\n  name: default",
            "- name: default\n  context: {cluster: default, user: default}",
            StringComparison.Ordinal));

        Assert.Equal("https://127.0.0.1:6443", config.Server);
        Assert.NotNull(config.ClientCertificatePem);
    }

    [Fact]
    public void Load_JsonIndentedWithTabs_ReadsAsYaml()
    {
        var json = "{\n\t\"kind\": \"Config\",\n\t\"clusters\": [{\"name\": \"c\", \"cluster\": {\"server\": \"https://10.0.0.1:6443\", \"certificate-authority-data\": \"" + KubeconfigShapes.Pem64 +
            "\"}}],\n\t\"users\": [{\"name\": \"u\", \"user\": {\"token\": \"t\\/k\"}}],\n\t\"contexts\": [{\"name\": \"x\", \"context\": {\"cluster\": \"c\", \"user\": \"u\"}}],\n\t\"current-context\": \"x\"\n}\n";

        var config = Load(json);

        Assert.Equal("https://10.0.0.1:6443", config.Server);
        Assert.Equal("t/k", config.Token);
    }

    [Fact]
    public void Load_TokenAndExecTogether_UsesTheTokenAsKubectlDoes()
    {
        var config = Load(KubeconfigShapes.Eks.Replace("    exec:\n", "    token: static\n    exec:\n", StringComparison.Ordinal));

        Assert.Equal("static", config.Token);
        Assert.Null(config.Exec);
    }

    [Fact]
    public void Load_RelativeExecCommand_ResolvesAgainstTheKubeconfigDirectory()
    {
        var config = Load(KubeconfigShapes.Eks.Replace("command: aws", "command: ./bin/aws", StringComparison.Ordinal));

        Assert.Equal(_dir.Combine("bin", "aws"), config.Exec!.Command);
    }

    [Fact]
    public void Load_ClusterExecExtension_IsPassedAsConfigWithItsTypes()
    {
        var text = KubeconfigShapes.Gke.Replace(
            "    server: https://34.118.42.7\n",
            "    server: https://34.118.42.7\n    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension: {audience: \"sluice\", retries: 3, ratio: 0.5, debug: false, note: null, tags: [a, '1']}\n",
            StringComparison.Ordinal);

        var config = Load(text);

        Assert.EndsWith(""","config":{"audience":"sluice","retries":3,"ratio":0.5,"debug":false,"note":null,"tags":["a","1"]}}""", config.Exec!.ClusterJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MergeKeyThatMergesItself_EndsFindingNothingInIt()
    {
        var text = KubeconfigShapes.ByHand.Replace("  user:\n    <<: *base", "  user: &loop\n    <<: *loop", StringComparison.Ordinal);

        var config = Load(text);

        Assert.Null(config.Token);
        Assert.Equal("https://[fd00::10]:6443", config.Server);
    }
}

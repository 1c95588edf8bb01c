using System.Text.Json;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>
/// Exec credential plugins as kubectl runs them, with small scripts standing in for aws,
/// gke-gcloud-auth-plugin and kubelogin: what they are given, what their answers become, how
/// long an answer is kept, and how a failing or misbehaving plugin is reported.
/// </summary>
public sealed class ExecCredentialTests : FakeApiTest
{
    private const string V1 = "client.authentication.k8s.io/v1";

    private KubeConfig LoadShape(string shape, PluginScript plugin, string command)
    {
        var path = Dir.Combine("config");
        File.WriteAllText(path, shape.Replace("command: " + command, "command: " + plugin.Path, StringComparison.Ordinal));
        return KubeConfig.Load(path);
    }

    /// <summary>A kubeconfig for the fake API server whose user runs <paramref name="plugin"/>.</summary>
    private KubeConfig ForApi(PluginScript plugin, string apiVersion = "client.authentication.k8s.io/v1beta1", string extra = "")
    {
        var path = Api.WriteKubeconfig(Dir.Combine("config"), inlineToken: false);
        File.AppendAllText(path, $"    exec:\n      apiVersion: {apiVersion}\n      command: {plugin.Path}\n{extra}");
        return KubeConfig.Load(path);
    }

    [Fact]
    public void Current_EksShape_RunsThePluginWithItsArgumentsEnvironmentAndExecInfo()
    {
        var plugin = new PluginScript(Dir.Combine("eks"), "aws", PluginScript.PrintToken("k8s-aws-v1.abc"));
        var config = LoadShape(KubeconfigShapes.Eks, plugin, "aws");

        var credentials = KubeCredentials.Current(config);

        Assert.Equal("k8s-aws-v1.abc", credentials.Token);
        Assert.Equal(["--region", "us-west-2", "eks", "get-token", "--cluster-name", "prod", "--output", "json"], plugin.Arguments);
        Assert.Equal("platform", plugin.Variable("AWS_PROFILE"));
        Assert.Equal("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}""", plugin.ExecInfo);
    }

    [Fact]
    public void Current_GkeShape_GivesThePluginTheClusterInfo()
    {
        var plugin = new PluginScript(Dir.Combine("gke"), "gke-gcloud-auth-plugin", PluginScript.PrintToken("ya29.gke"));
        var config = LoadShape(KubeconfigShapes.Gke, plugin, "gke-gcloud-auth-plugin");

        Assert.Equal("ya29.gke", KubeCredentials.Current(config).Token);

        using var info = JsonDocument.Parse(plugin.ExecInfo);
        var spec = info.RootElement.GetProperty("spec");
        Assert.False(spec.GetProperty("interactive").GetBoolean());
        Assert.Equal("https://34.118.42.7", spec.GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal(KubeconfigShapes.Pem64, spec.GetProperty("cluster").GetProperty("certificate-authority-data").GetString());
    }

    [Fact]
    public void Current_AksShape_RunsKubeloginsGetToken()
    {
        var plugin = new PluginScript(Dir.Combine("aks"), "kubelogin", PluginScript.PrintToken("eyJ0eXAi.aks"));
        var config = LoadShape(KubeconfigShapes.Aks, plugin, "kubelogin");

        Assert.Equal("eyJ0eXAi.aks", KubeCredentials.Current(config).Token);
        Assert.Equal("get-token", plugin.Arguments[0]);
    }

    [Fact]
    public async Task GetNode_WithExecToken_AuthenticatesAndReusesTheTokenUntilItExpires()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        var plugin = new PluginScript(Dir.Combine("p"), "token-plugin", PluginScript.PrintToken(Api.Token!, V1, DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
        var config = ForApi(plugin, V1, "      interactiveMode: Never\n");

        using (var client = new KubeClient(config, Quick))
        {
            await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);
            await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);
        }

        using (var again = new KubeClient(KubeConfig.Load(Dir.Combine("config")), Quick))
        {
            await again.GetNodeAsync("node-a", TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, plugin.Runs);
        Assert.Equal(3, Api.RequestCount("/api/v1/nodes/node-a"));
    }

    [Fact]
    public void Current_ExpiredCredential_RunsThePluginAgain()
    {
        var plugin = new PluginScript(Dir.Combine("p"), "expired", PluginScript.PrintToken("old", expires: "2020-01-01T00:00:00Z"));
        var config = ForApi(plugin);

        KubeCredentials.Current(config);
        KubeCredentials.Current(config);

        Assert.Equal(2, plugin.Runs);
    }

    [Fact]
    public async Task GetNode_TokenRefusedWith401_AsksThePluginAgainAndSucceeds()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        // First run: a token the server refuses; every later run: the accepted one.
        var plugin = new PluginScript(Dir.Combine("p"), "rotating", $$"""
            if [ "$(wc -l < "$d/runs")" -eq 1 ]; then {{PluginScript.PrintToken("stale")}}; else {{PluginScript.PrintToken(Api.Token!)}}; fi
            """);
        var config = ForApi(plugin);
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
        Assert.Equal(2, plugin.Runs);
        Assert.Equal(2, Api.RequestCount("/api/v1/nodes/node-a"));
    }

    [Fact]
    public async Task GetNode_PluginReturnsAClientCertificate_PresentsItInTheHandshake()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        Api.RequireClientCertificate = true;
        using var certificate = Api.IssueClientCertificate("system:node:node-a");
        var answer = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = "ExecCredential",
            ["apiVersion"] = V1,
            ["status"] = new Dictionary<string, string> { ["clientCertificateData"] = certificate.CertificatePem, ["clientKeyData"] = certificate.KeyPem },
        });
        File.WriteAllText(Dir.Combine("answer.json"), answer);
        var plugin = new PluginScript(Dir.Combine("p"), "cert-plugin", $"cat '{Dir.Combine("answer.json")}'");
        var config = ForApi(plugin, V1, "      interactiveMode: IfAvailable\n");
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
        Assert.Equal("CN=system:node:node-a", Api.LastClientCertificateSubject);
    }

    [Fact]
    public void Current_BareCommandName_IsFoundOnTheFixedSearchPath()
    {
        var path = Api.WriteKubeconfig(Dir.Combine("config"), inlineToken: false);
        File.AppendAllText(path, $"    exec:\n      apiVersion: {V1}\n      interactiveMode: Never\n      command: sh\n      args: [-c, \"{PluginScript.PrintToken("from-sh", V1).Replace("\"", "\\\"", StringComparison.Ordinal)}\"]\n");

        Assert.Equal("from-sh", KubeCredentials.Current(KubeConfig.Load(path)).Token);
    }

    [Theory]
    [InlineData("exit 7", "failed with exit code 7")]
    [InlineData("echo 'token expired, run aws sso login' >&2; exit 1", "failed with exit code 1: token expired, run aws sso login")]
    [InlineData("echo not json", "printed no ExecCredential: invalid JSON")]
    [InlineData("printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"t\"}}'", "answered in apiVersion 'client.authentication.k8s.io/v1', the kubeconfig asks for client.authentication.k8s.io/v1beta1")]
    [InlineData("printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\"}'", "returned no status")]
    [InlineData("printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{}}'", "returned neither a token nor a client certificate and key")]
    [InlineData("printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"clientKeyData\":\"k\"}}'", "returned clientKeyData without clientCertificateData")]
    [InlineData("printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"soon\"}}'", "returned expirationTimestamp 'soon', not an RFC 3339 time")]
    [InlineData("yes '{}'", "printed more than 1048576 bytes and was stopped")]
    public void Current_MisbehavingPlugin_FailsWithOneLineNamingTheKubeconfigAndTheProgram(string body, string expected)
    {
        var plugin = new PluginScript(Dir.Combine("p"), "bad-plugin", body);
        var config = ForApi(plugin);

        var error = Assert.Throws<KubeConfigException>(() => KubeCredentials.Current(config));

        Assert.StartsWith($"kubeconfig {Dir.Combine("config")}: exec credential plugin: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(plugin.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Current_MissingBareCommand_NamesTheSearchPathAndTheInstallHint()
    {
        var path = Dir.Combine("config");
        File.WriteAllText(path, KubeconfigShapes.Gke.Replace("command: gke-gcloud-auth-plugin", "command: sluice-no-such-plugin", StringComparison.Ordinal));
        File.WriteAllText(Dir.Combine("sluice-no-such-plugin"), "#!/bin/sh\n");

        var error = Assert.Throws<KubeConfigException>(() => KubeCredentials.Current(KubeConfig.Load(path)));

        Assert.Contains("'sluice-no-such-plugin' is not in /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNode_PluginFails_IsAnApiErrorNamingThePluginWithoutARequest()
    {
        var plugin = new PluginScript(Dir.Combine("p"), "down", "echo 'no network' >&2; exit 3");
        using var client = new KubeClient(ForApi(plugin), Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.Contains("no credentials: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed with exit code 3: no network", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Api.RequestCount("/api/v1/nodes/node-a"));
    }
}

using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class AuthenticationTests : FakeApiTest
{
    [Fact]
    public async Task TokenFile_RotatedBetweenRequests_NextRequestUsesTheNewToken()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        var tokenFile = Api.WriteTokenFile(Dir.Combine("token"));
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), tokenFile: tokenFile));
        using var client = new KubeClient(config, Quick);
        await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Api.Token = "fake-token-rotated-and-longer";
        Api.WriteTokenFile(tokenFile);
        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
        Assert.Equal(2, Api.RequestCount("/api/v1/nodes/node-a"));
    }

    [Fact]
    public async Task ServerCertificate_FromAnotherCa_FailsOnceWithTlsMessage()
    {
        using var otherCa = TestCertificate.CreateAuthority("someone-else");
        var config = new KubeConfig { Server = Api.Server, Token = Api.Token, CertificateAuthorityPem = System.Text.Encoding.ASCII.GetBytes(otherCa.CertificatePem) };
        using var client = new KubeClient(config, Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.StartsWith($"GET node node-a from {Api.Server}: TLS handshake failed: the server certificate is not signed by the configured certificate authority", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(1 attempt)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_UntrustedServer_IsAccepted()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), insecureSkipTlsVerify: true));
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Null(config.CertificateAuthorityPem);
        Assert.Equal("node-a", node.Metadata.Name);
    }

    [Fact]
    public async Task TlsServerName_MatchesCertificateWhereUrlHostDoesNot_IsAccepted()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        var baseConfig = Kubeconfig();
        var config = new KubeConfig
        {
            Server = baseConfig.Server,
            Token = baseConfig.Token,
            CertificateAuthorityPem = baseConfig.CertificateAuthorityPem,
            TlsServerName = "localhost",
        };
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
    }

    [Fact]
    public async Task ClientCertificate_FromKubeconfig_AuthenticatesAsItsSubject()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        Api.RequireClientCertificate = true;
        using var clientCertificate = Api.IssueClientCertificate("system:node:node-a");
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), clientCertificate: clientCertificate, inlineToken: false));
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
        Assert.Equal("CN=system:node:node-a", Api.LastClientCertificateSubject);
    }

    [Fact]
    public async Task ClientCertificateRequired_NoneGiven_FailsUnauthorized()
    {
        Api.RequireClientCertificate = true;
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), inlineToken: false));
        using var client = new KubeClient(config, Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.Equal(401, error.StatusCode);
    }
}

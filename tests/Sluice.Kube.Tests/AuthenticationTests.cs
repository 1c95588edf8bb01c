using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class AuthenticationTests : FakeApiTest
{
    [Fact]
    public async Task A_rotated_token_file_is_used_on_the_next_request()
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
    public async Task A_server_certificate_from_another_CA_fails_with_a_TLS_message_and_no_retry()
    {
        using var otherCa = TestCertificate.CreateAuthority("someone-else");
        var config = new KubeConfig { Server = Api.Server, Token = Api.Token, CertificateAuthorityPem = System.Text.Encoding.ASCII.GetBytes(otherCa.CertificatePem) };
        using var client = new KubeClient(config, Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.StartsWith($"GET node node-a from {Api.Server}: TLS handshake failed: the server certificate is not signed by the configured certificate authority", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(1 attempt)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_accepts_an_untrusted_server()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), insecureSkipTlsVerify: true));
        using var client = new KubeClient(config, Quick);

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Null(config.CertificateAuthorityPem);
        Assert.Equal("node-a", node.Metadata.Name);
    }

    [Fact]
    public async Task A_matching_tls_server_name_is_accepted_when_the_url_host_is_not_in_the_certificate()
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
    public async Task A_client_certificate_from_the_kubeconfig_authenticates()
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
    public async Task Without_the_client_certificate_the_same_server_answers_unauthorized()
    {
        Api.RequireClientCertificate = true;
        var config = KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig"), inlineToken: false));
        using var client = new KubeClient(config, Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.Equal(401, error.StatusCode);
    }
}

using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>The TokenRequest API as the agent uses it for the plugins' narrow credential, against the fake API server's wire format.</summary>
public sealed class TokenRequestTests : FakeApiTest
{
    [Fact]
    public async Task RequestTokenAsync_ReturnsTheIssuedTokenAndItsExpiry()
    {
        using var client = Client();

        var issued = await client.RequestTokenAsync("kube-system", "sluice-plugin", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        Assert.True(Api.IsIssuedToken(issued.Token));
        Assert.InRange(issued.Expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Equal(["kube-system/sluice-plugin"], Api.TokenRequests);
    }

    [Fact]
    public async Task IssuedToken_GetsAPod_ButCannotListOrWatchPods()
    {
        Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        using var agent = Client();
        var issued = await agent.RequestTokenAsync("kube-system", "sluice-plugin", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        var agentConfig = Kubeconfig();
        using var plugin = new KubeClient(new KubeConfig { Server = agentConfig.Server, CertificateAuthorityPem = agentConfig.CertificateAuthorityPem, Token = issued.Token }, Quick);

        Assert.Equal("reviews", (await plugin.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken)).Metadata.Name);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => plugin.ListPodsOnNodeAsync("node-a", TestContext.Current.CancellationToken));
        Assert.Equal(403, error.StatusCode);
    }

    [Fact]
    public async Task RequestTokenAsync_RefusedByRbac_IsA403KubeApiException()
    {
        Api.RefuseTokenRequests = true;
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.RequestTokenAsync("kube-system", "sluice-plugin", TimeSpan.FromHours(1), TestContext.Current.CancellationToken));

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("serviceaccounts/token", error.Message, StringComparison.Ordinal);
    }
}

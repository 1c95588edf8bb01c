using Sluice.Agent.Install;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests.Install;

/// <summary>
/// The plugins' kubeconfig with PLUGIN_SERVICE_ACCOUNT: a token the API server issues for the
/// plugins' own service account (which may only get pods), never the agent's credential, renewed
/// before it expires and kept while the API server cannot issue another.
/// </summary>
public sealed class PluginTokensTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("plugin-tokens");
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private FakeKubeApi _api = null!;
    private KubeClient _agentClient = null!;
    private string _agentConfig = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeKubeApi.StartAsync();
        _api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        _agentConfig = _api.WriteKubeconfig(_dir.Combine("agent-kubeconfig"));
        _agentClient = new KubeClient(KubeConfig.Load(_agentConfig));
    }

    public async ValueTask DisposeAsync()
    {
        _agentClient.Dispose();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    private (PluginKubeconfig File, PluginTokens Tokens) Written()
    {
        var tokens = new PluginTokens(_agentClient, "kube-system", "sluice-plugin", _clock, new AgentLog(TextWriter.Null, "debug"));
        return (new PluginKubeconfig(_dir.Combine("run/sluice-kubeconfig"), () => KubeConfig.Load(_agentConfig), tokens.Current), tokens);
    }

    private static string? WrittenToken(PluginKubeconfig file) => KubeConfig.Load(file.Path).Token;

    [Fact]
    public async Task Reconcile_WritesAnIssuedTokenThatGetsPodsButCannotListThem_NotTheAgentsToken()
    {
        var (file, _) = Written();

        Assert.True(file.Reconcile());

        var token = WrittenToken(file);
        Assert.NotEqual(_api.Token, token);
        Assert.True(_api.IsIssuedToken(token!));
        using var plugin = new KubeClient(KubeConfig.Load(file.Path));
        Assert.Equal("reviews", (await plugin.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken)).Metadata.Name);
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => plugin.ListPodsOnNodeAsync("node-a", TestContext.Current.CancellationToken));
        Assert.Equal(403, refused.StatusCode);
    }

    [Fact]
    public void Reconcile_KeepsTheTokenUntilFourFifthsOfItsLife_ThenWritesANewOne()
    {
        _api.MaxTokenLifetime = TimeSpan.FromMinutes(50);
        var (file, _) = Written();
        file.Reconcile();
        var first = WrittenToken(file);

        _clock.Advance(TimeSpan.FromMinutes(39));
        Assert.False(file.Reconcile());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(file.Reconcile());

        Assert.NotEqual(first, WrittenToken(file));
        Assert.Equal(2, _api.TokenRequests.Count);
    }

    [Fact]
    public void Reconcile_WhileTheApiServerRefuses_KeepsTheValidTokenAndAsksAgainOnlyAfterTheRetryDelay()
    {
        _api.MaxTokenLifetime = TimeSpan.FromMinutes(50);
        var (file, _) = Written();
        file.Reconcile();
        var held = WrittenToken(file);
        _api.RefuseTokenRequests = true;

        _clock.Advance(TimeSpan.FromMinutes(41));
        Assert.False(file.Reconcile());
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(file.Reconcile());

        Assert.Equal(held, WrittenToken(file));
        Assert.Equal(2, _api.RequestCount("/api/v1/namespaces/kube-system/serviceaccounts/sluice-plugin/token"));
    }

    [Fact]
    public void Reconcile_WithoutAnyValidToken_FailsNamingTheServiceAccountAndWritesNothing()
    {
        _api.RefuseTokenRequests = true;
        var (file, _) = Written();

        var error = Assert.Throws<KubeConfigException>(() => file.Reconcile());

        Assert.StartsWith("no token for the plugins' service account kube-system/sluice-plugin: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(file.Path));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

using System.Net;
using Sluice.Agent.Health;

namespace Sluice.Agent.Tests;

public sealed class HealthServerTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly AgentCounters _counters = new();
    private bool _ready;
    private readonly HealthServer _server;

    public HealthServerTests()
    {
        _server = new HealthServer(new IPEndPoint(IPAddress.Loopback, 0), () => (_ready, _ready ? null : "waiting for the primary configuration"), () => AgentMetrics.Render(_counters, _ready));
    }

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> Get(string path, HttpMethod? method = null)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{_server.Endpoint.Port}{path}"), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Healthz_answers_while_readyz_follows_the_install_and_says_why_not()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/healthz")).Status);
        var notReady = await Get("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Contains("waiting for the primary configuration", notReady.Body, StringComparison.Ordinal);

        _ready = true;
        Assert.Equal(HttpStatusCode.OK, (await Get("/readyz")).Status);
    }

    [Fact]
    public async Task Metrics_are_in_prometheus_text_format()
    {
        _counters.CountInstall();
        _counters.CountReinstall();
        _ready = true;

        var (status, body) = await Get("/metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE sluice_agent_installs_total counter\nsluice_agent_installs_total 1\n", body, StringComparison.Ordinal);
        Assert.Contains("sluice_agent_reinstalls_total 1\n", body, StringComparison.Ordinal);
        Assert.Contains("sluice_agent_ready 1\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/debug")).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Get("/readyz", HttpMethod.Post)).Status);
    }
}

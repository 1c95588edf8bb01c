using System.Net;
using System.Net.Sockets;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class RetryTests : FakeApiTest
{
    [Fact]
    public async Task GetPod_ServerErrorThenSuccess_RetriedOnce()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        Api.FailNext(500, 1);
        using var client = Client();

        var pod = await client.GetPodAsync("default", "web-1", TestContext.Current.CancellationToken);

        Assert.Equal("web-1", pod.Metadata.Name);
        Assert.Equal(2, Api.RequestCount("/api/v1/namespaces/default/pods/web-1"));
    }

    [Fact]
    public async Task GetNode_DroppedConnection_IsRetried()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        Api.DropNext(1);
        using var client = Client();

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("node-a", node.Metadata.Name);
        Assert.Equal(2, Api.RequestCount("/api/v1/nodes/node-a"));
    }

    [Fact]
    public async Task ListNodes_ServiceUnavailableForever_FailsAfterMaxAttempts()
    {
        Api.FailNext(503, 100, "etcd is unavailable");
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListNodesAsync(TestContext.Current.CancellationToken));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.Equal($"GET nodes from {Api.Server}: 503 Service Unavailable: etcd is unavailable (after 3 attempts)", error.Message);
        Assert.Equal(3, Api.RequestCount("/api/v1/nodes"));
    }

    [Fact]
    public async Task ListNodes_TotalDeadlineReached_StopsRetriesBeforeMaxAttempts()
    {
        Api.FailNext(503, 100);
        var options = new KubeClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(1),
            MaxAttempts = 50,
            InitialBackoff = TimeSpan.FromMilliseconds(300),
        };
        using var client = Client(options);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListNodesAsync(TestContext.Current.CancellationToken));

        Assert.InRange(error.Attempts, 1, 4);
        Assert.Contains("total deadline 1 s reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNode_SlowServer_TimesOutSayingHowLongAndHowOften()
    {
        Api.ResponseDelay = TimeSpan.FromSeconds(30);
        var options = new KubeClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) };
        using var client = Client(options);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.Null(error.StatusCode);
        Assert.Equal($"GET node node-a from {Api.Server}: timed out after 0.3 s (2 attempts)", error.Message);
    }

    [Fact]
    public async Task GetNode_CallerCancels_ThrowsCancellationNotTimeout()
    {
        Api.ResponseDelay = TimeSpan.FromSeconds(30);
        using var client = Client();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetNodeAsync("node-a", cancel.Token));
    }

    [Fact]
    public async Task GetPod_ConnectionRefused_FailsSayingSo()
    {
        var port = UnusedPort();
        var config = new KubeConfig { Server = $"https://127.0.0.1:{port}", Token = "t", InsecureSkipTlsVerify = true };
        using var client = new KubeClient(config, Quick);

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetPodAsync("default", "web-1", TestContext.Current.CancellationToken));

        Assert.Equal($"GET pod default/web-1 from https://127.0.0.1:{port}: connection refused (3 attempts)", error.Message);
        Assert.Null(error.StatusCode);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

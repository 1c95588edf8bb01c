using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
    public async Task Readyz_UntilReady_Is503WithTheReasonThen200WhileHealthzIs200()
    {
        Assert.Equal(HttpStatusCode.OK, (await Get("/healthz")).Status);
        var notReady = await Get("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Contains("waiting for the primary configuration", notReady.Body, StringComparison.Ordinal);

        _ready = true;
        Assert.Equal(HttpStatusCode.OK, (await Get("/readyz")).Status);
    }

    [Fact]
    public async Task Metrics_AfterAnInstallAndAReinstall_AreCountedInPrometheusTextFormat()
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
    public async Task Request_UnknownPathOrMethod_Is404Or405()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/debug")).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Get("/readyz", HttpMethod.Post)).Status);
    }

    /// <summary>A client that sends a request one byte every 1.5 s (a slow loris), in the background until disposed.</summary>
    private sealed class Trickler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Trickler(int port)
        {
            Socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Socket.Connect(IPAddress.Loopback, port);
            Sending = Task.Run(async () =>
            {
                foreach (var b in "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray())
                {
                    Socket.Send([b]);
                    await Task.Delay(1500, _stop.Token);
                }
            });
        }

        public Socket Socket { get; }

        public Task Sending { get; }

        public void Dispose()
        {
            _stop.Cancel();
            Socket.Dispose();
            _stop.Dispose();
        }
    }

    /// <remarks>Fails on 493b7e3: one connection at a time, a timeout per read, so the trickler held /healthz for as long as it kept sending.</remarks>
    [Fact]
    public async Task Healthz_WhileClientsTrickleOneByteEvery1500Ms_IsAnsweredAtOnce()
    {
        var tricklers = Enumerable.Range(0, 20).Select(_ => new Trickler(_server.Endpoint.Port)).ToList();
        try
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                Assert.Equal(HttpStatusCode.OK, (await Get("/healthz")).Status);
                // A server that made /healthz wait for a slot would answer the first GET only as the
                // tricklers' whole-request deadline (2 s from their connect) cuts them off.
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"/healthz took {watch.Elapsed} beside 20 slow clients");
                await Task.Delay(700, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            tricklers.ForEach(t => t.Dispose());
        }
    }

    /// <remarks>Fails on 493b7e3: each byte within 2 s renewed the read timeout, so the connection stayed open indefinitely.</remarks>
    [Fact]
    public void SlowClient_IsCutOffAtTheWholeRequestDeadline()
    {
        using var trickler = new Trickler(_server.Endpoint.Port);
        var watch = Stopwatch.StartNew();

        // The server closes the connection: a read returns 0 (or fails) once it gave up on the request.
        trickler.Socket.ReceiveTimeout = 10_000;
        var read = 0;
        try
        {
            read = trickler.Socket.Receive(new byte[1024]);
        }
        catch (SocketException)
        {
        }

        Assert.Equal(0, read);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(HealthServer.RequestDeadline.TotalSeconds + 1.5), $"the slow client kept its connection for {watch.Elapsed}");
    }

    [Fact]
    public void Request_FillingTheBoundWithoutAnEnd_IsRefusedAt8KiB()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, _server.Endpoint.Port);
        socket.ReceiveTimeout = 10_000;

        // Exactly the bound: the server reads all of it, so its close sends no reset over the answer.
        var head = "GET /healthz HTTP/1.1\r\nX-Padding: " + new string('p', 8192);
        socket.Send(System.Text.Encoding.ASCII.GetBytes(head[..8192]));
        using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false));

        Assert.Equal("HTTP/1.1 400 Bad Request", reader.ReadLine());
    }

    [Fact]
    public async Task Metrics_AfterManyRequests_AreStillServed()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Get("/metrics")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }
}

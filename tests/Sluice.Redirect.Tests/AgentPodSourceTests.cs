using System.Net.Sockets;
using System.Text;
using Sluice.Cni;
using Sluice.Cni.Logging;

namespace Sluice.Redirect.Tests;

/// <summary>sluice-redirect's side of the lookup protocol: the pod's UID sent along, and an answer for another UID refused.</summary>
public sealed class AgentPodSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("agent-pod-source");
    private readonly Socket _listener;
    private string? _request;

    public AgentPodSourceTests()
    {
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
    }

    private string SocketPath => _dir.Combine("pods.sock");

    public void Dispose()
    {
        _listener.Dispose();
        _dir.Dispose();
    }

    /// <summary>Answers one connection with <paramref name="answer"/> and keeps the request line.</summary>
    private Task Serve(string answer) => Task.Run(() =>
    {
        using var client = _listener.Accept();
        var buffer = new byte[1024];
        var length = 0;
        while (Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
        {
            length += client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
        }

        _request = Encoding.UTF8.GetString(buffer, 0, length);
        client.Send(Encoding.UTF8.GetBytes(answer + "\n"));
    });

    private static string Pod(string uid) =>
        $$"""{"metadata":{"name":"reviews","namespace":"shop","uid":"{{uid}}"},"spec":{"containers":[{"name":"app"}]} }""";

    private AgentPodSource Source() => new AgentPodSource(SocketPath, new Unreachable(), CniLog.Null);

    /// <remarks>Fails on 493b7e3: the plugin sent no UID, so the agent could answer from a recreated pod's old object.</remarks>
    [Fact]
    public async Task Get_ReferenceWithUid_SendsItAndAcceptsThatPod()
    {
        var server = Serve("200 " + Pod("uid-2"));

        var pod = Source().Get(new PodReference("shop", "reviews", "uid-2"));
        await server;

        Assert.Equal("GET shop reviews uid-2\n", _request);
        Assert.Equal("uid-2", pod.Uid);
    }

    [Fact]
    public async Task Get_ReferenceWithoutUid_SendsTheOldRequest()
    {
        var server = Serve("200 " + Pod("uid-1"));

        Source().Get(new PodReference("shop", "reviews", null));
        await server;

        Assert.Equal("GET shop reviews\n", _request);
    }

    [Fact]
    public async Task Get_AnswerForAnotherUid_IsRefusedAsStale()
    {
        var server = Serve("200 " + Pod("uid-1"));

        var error = Assert.Throws<PodLookupException>(() => Source().Get(new PodReference("shop", "reviews", "uid-2")));
        await server;

        Assert.Contains("UID uid-1, not uid-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_FallbackAnswersForAnotherUid_IsRefusedAsStale()
    {
        var source = new AgentPodSource(_dir.Combine("no-agent.sock"), new Unreachable(Pods.Pod(ns: "shop", name: "reviews") with { Uid = "uid-1" }), CniLog.Null);

        var error = Assert.Throws<PodLookupException>(() => source.Get(new PodReference("shop", "reviews", "uid-2")));

        Assert.Contains("stale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PodReference_CniArgsWithUid_CarriesIt()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=reviews;K8S_POD_UID=uid-2");

        Assert.Equal(new PodReference("shop", "reviews", "uid-2"), PodReference.From(args));
    }

    [Theory]
    [InlineData("""{"metadata":""")]
    [InlineData("""{"metadata":{"name":"reviews","namespace":"shop","uid":"uid-2"},"spec":{"hostNetwork":"yes"}}""")]
    public async Task Get_AgentAnswersWithNoValidPod_AsksTheApiServerInstead(string answer)
    {
        var server = Serve("200 " + answer);
        var fromApiServer = Pods.Pod(ns: "shop", name: "reviews") with { Uid = "uid-2" };
        var source = new AgentPodSource(SocketPath, new Unreachable(fromApiServer), CniLog.Null);

        var pod = source.Get(new PodReference("shop", "reviews", "uid-2"));
        await server;

        Assert.Same(fromApiServer, pod);
    }

    /// <summary>The API-server fallback: a given pod, or a lookup failure.</summary>
    private sealed class Unreachable(PodFacts? pod = null) : IPodSource
    {
        public PodFacts Get(string podNamespace, string podName) => pod ?? throw new PodLookupException("no API server in this test");
    }
}

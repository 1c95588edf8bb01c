using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport;

/// <summary>
/// A stand-in for a Kubernetes API server, because none can run on a test machine: HTTPS on
/// 127.0.0.1 (ephemeral port) with an in-process CA and server certificate, bearer-token
/// and client-certificate authentication, and the real wire format (objects as raw JSON
/// exactly as the API server serves them, Status bodies on failure, lists with a
/// resourceVersion, newline-delimited watch events). Tests can change the accepted token
/// (rotation), inject failures, delays and dropped connections, and count requests.
/// </summary>
public sealed partial class FakeKubeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly WatchFeed _nodeFeed = new();
    private readonly WatchFeed _podFeed = new();
    private readonly Lock _faultLock = new();
    private (int StatusCode, string Message, int Remaining) _failure;
    private int _abortsRemaining;
    private bool _unreachable;
    private long _resourceVersion = 100;

    private FakeKubeApi(TestCertificate authority, TestCertificate server, IReadOnlyList<Socket> listeners)
    {
        Authority = authority;
        ServerCertificate = server;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            if (listeners.Count == 0)
            {
                kestrel.Listen(IPAddress.Loopback, 0, Configure);
            }

            foreach (var listener in listeners)
            {
                // Kestrel takes the descriptor over (and closes it when it stops).
                var handle = (ulong)listener.SafeHandle.DangerousGetHandle();
                listener.SafeHandle.SetHandleAsInvalid();
                kestrel.ListenHandle(handle, Configure);
            }
        });
        _app = builder.Build();
        _app.Run(HandleAsync);

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = server.Certificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => IsIssuedByAuthority(certificate);
            });
        }
    }

    /// <summary>The CA that signed the server certificate (and signs client certificates via <see cref="IssueClientCertificate"/>).</summary>
    public TestCertificate Authority { get; }

    public TestCertificate ServerCertificate { get; }

    /// <summary>The base URL, "https://127.0.0.1:port".</summary>
    public string Server { get; private set; } = "";

    /// <summary>The bearer token accepted now; set it to simulate rotation. Null: no token is asked for.</summary>
    public string? Token { get; set; } = "fake-token-1";

    /// <summary>Refuse requests (401) that come without a client certificate signed by <see cref="Authority"/>.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>A pause before every answer.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The subject of the client certificate of the last request that sent one.</summary>
    public string? LastClientCertificateSubject { get; private set; }

    /// <summary>
    /// Starts a server with a fresh CA and server certificate on 127.0.0.1 of this process's
    /// network namespace, or of <paramref name="listenIn"/> (a node namespace whose plugins
    /// must reach it: a listening socket belongs to the namespace it was created in).
    /// </summary>
    public static Task<FakeKubeApi> StartAsync(NetNs? listenIn = null) => StartAsync(listenIn is null ? [] : [listenIn]);

    /// <summary>
    /// One server listening on 127.0.0.1 of every namespace in <paramref name="listenIn"/>, on the
    /// same port, so every node of a multi-node test reaches "its" API server at the same URL.
    /// </summary>
    public static async Task<FakeKubeApi> StartAsync(IReadOnlyList<NetNs> listenIn)
    {
        ArgumentNullException.ThrowIfNull(listenIn);
        var authority = TestCertificate.CreateAuthority("fake-kube-ca");
        var listeners = new List<Socket>();
        var port = 0;
        foreach (var ns in listenIn)
        {
            listeners.Add(ns.Run(() =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                socket.Listen(128);
                return socket;
            }));
            port = ((IPEndPoint)listeners[^1].LocalEndPoint!).Port;
        }

        var api = new FakeKubeApi(authority, authority.IssueServer(), listeners);
        await api._app.StartAsync();
        if (listeners.Count == 0)
        {
            var addresses = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            port = new Uri(addresses.Addresses.First()).Port;
        }

        api.Server = $"https://127.0.0.1:{port}";
        return api;
    }

    /// <summary>Serves <paramref name="json"/> (a Pod exactly as the API server would send it) at its namespace and name.</summary>
    public void SetPod(string ns, string name, string json) => _pods[$"{ns}/{name}"] = json;

    /// <summary>Serves <paramref name="json"/> (a Node exactly as the API server would send it) under its name.</summary>
    public void SetNode(string name, string json) => _nodes[name] = json;

    /// <summary>The next <paramref name="count"/> requests get <paramref name="statusCode"/> with a Status body.</summary>
    public void FailNext(int statusCode, int count, string message = "injected failure")
    {
        lock (_faultLock)
        {
            _failure = (statusCode, message, count);
        }
    }

    /// <summary>
    /// While true, the server is cut off: open watches end and every request has its connection
    /// closed without an answer (as a partitioned or restarting API server looks to a client).
    /// </summary>
    public bool Unreachable
    {
        get => Volatile.Read(ref _unreachable);
        set
        {
            Volatile.Write(ref _unreachable, value);
            if (value)
            {
                _nodeFeed.EndAll();
                _podFeed.EndAll();
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests have their connection closed without an answer.</summary>
    public void DropNext(int count) => Interlocked.Exchange(ref _abortsRemaining, count);

    /// <summary>How many requests arrived for <paramref name="path"/> (without query), e.g. "/api/v1/nodes".</summary>
    public int RequestCount(string path) => _counts.TryGetValue(path, out var count) ? count : 0;

    /// <summary>Every request's path and query, in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>A client certificate for <paramref name="user"/> signed by the server's CA.</summary>
    public TestCertificate IssueClientCertificate(string user) => Authority.IssueClient(user);

    public async ValueTask DisposeAsync()
    {
        _nodeFeed.EndAll();
        _podFeed.EndAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
        ServerCertificate.Dispose();
        Authority.Dispose();
    }

    private string NextResourceVersion() => Interlocked.Increment(ref _resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string CurrentResourceVersion => Interlocked.Read(ref _resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool IsIssuedByAuthority(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority.Certificate);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

using Sluice.Agent.Settings;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Pods;

/// <summary>The pod cache and its socket, when the agent knows its node and can reach the API server; otherwise the plugins look pods up themselves.</summary>
public sealed class PodLookups : IDisposable
{
    private readonly KubeClient _client;
    private readonly PodLookupServer _server;

    private PodLookups(KubeClient client, PodLookupServer server, PodCache cache)
    {
        _client = client;
        _server = server;
        Cache = cache;
    }

    /// <summary>This node's pods, as the lookups answer them.</summary>
    public PodCache Cache { get; }

    /// <param name="events">Told of every pod the cache learns of (the capture reconciler); null: nobody.</param>
    /// <param name="metrics">Where the lookups' times are recorded; null: nowhere.</param>
    public static PodLookups? Start(AgentSettings settings, Func<KubeConfig> kubeconfig, AgentLog log, CancellationToken stop, IPodEvents? events = null, PodLookupMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (settings.NodeName is not { } node)
        {
            log.Info("no NODE_NAME: pod lookups are left to the plugins");
            return null;
        }

        KubeClient client;
        try
        {
            client = new KubeClient(kubeconfig());
        }
        catch (KubeConfigException error)
        {
            log.Warn($"pod lookups are left to the plugins: {error.Message}");
            return null;
        }

        var cache = new PodCache(client, node, log) { Events = events };
        PodLookupServer server;
        try
        {
            server = new PodLookupServer(settings.PodSocket, cache, log, metrics);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            client.Dispose();
            log.Warn($"pod lookups are left to the plugins: cannot listen on {settings.PodSocket} ({error.GetType().Name})");
            return null;
        }

        _ = Task.Run(() => cache.RunAsync(stop), stop);
        log.Info($"answering pod lookups for node {node} on {server.Path}");
        return new PodLookups(client, server, cache);
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
    }
}

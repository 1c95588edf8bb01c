using Sluice.Agent.Capture;
using Sluice.Agent.Pods;
using Sluice.Agent.Settings;
using Sluice.Cni;
using Sluice.Redirect;

namespace Sluice.Agent.Status;

/// <summary>Puts together what the running agent answers on its status socket, from the install loop, the capture states and the plugins' errors.</summary>
public sealed class LiveStatusSource(AgentHost host, ICaptureStateSource? pods, string podsUnknownBecause, RecentPluginErrors errors)
{
    /// <summary>
    /// The status socket in <paramref name="settings"/>' run dir, answering with the capture
    /// reconciler's findings when the agent runs one, else from the pod cache (null: the agent has
    /// none) under sluice-redirect's decision for the agent's entry; null, after a warning, when
    /// the socket cannot be made.
    /// </summary>
    public static StatusServer? Serve(AgentSettings settings, AgentHost host, PodCache? cache, CaptureReconciler? reconciler, RecentPluginErrors errors, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        ICaptureStateSource? pods = null;
        var unknown = settings.NodeName is null ? "no NODE_NAME: the agent does not watch this node's pods" : "the agent cannot reach the API server (see its log)";
        try
        {
            pods = cache is null ? null
                : reconciler is not null ? new ReconciledCaptureStates(() => reconciler.Checked, TimeProvider.System)
                : new DecisionCaptureStates(cache, RedirectSettings.Read(System.Text.Encoding.UTF8.GetBytes(PluginEntry.For(settings).ToJsonString()), "the sluice-redirect entry"));
        }
        catch (CniException error)
        {
            unknown = $"the sluice-redirect entry is not valid: {error.Message}";
        }

        var source = new LiveStatusSource(host, pods, unknown, errors);
        var path = StatusSocket.PathIn(settings.RunDir);
        try
        {
            return new StatusServer(path, source.Now, log);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            log.Warn($"sluice-agent status will find no agent: cannot listen on {path} ({error.GetType().Name})");
            return null;
        }
    }

    public LiveStatus Now()
    {
        var routes = host.Routes;
        return new LiveStatus
        {
            Ready = host.Ready,
            NotReadyBecause = host.NotReadyBecause,
            Pods = pods is { Synced: true } ? [.. pods.Pods()] : null,
            PodsUnknownBecause = pods is null ? podsUnknownBecause : pods.Synced ? null : "the first pod list has not arrived from the API server",
            PodMtu = host.PodMtu is { } mtu ? PodMtuStatus.From(mtu) : null,
            Routes = routes?.Routes.Select(RouteEntry.From).ToList(),
            RouteProblems = routes is null ? null : [.. routes.Problems],
            PluginErrors = [.. errors.Snapshot()],
        };
    }
}

using Sluice.Agent.Capture.Netns;
using Sluice.Agent.Settings;
using Sluice.Kube.Client;
using Sluice.Kube.Config;
using Sluice.Linux.Namespaces;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>The capture reconciler as sluice-agent runs it: from the agent's settings and the plugin's, with its own API client for events, labels and deletes.</summary>
public static class CaptureReconcilerSetup
{
    /// <summary>Writes wait longer than a plugin's lookup: nothing waits for them.</summary>
    private static readonly KubeClientOptions WriteOptions = new() { RequestTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(15) };

    /// <summary>Null when this node has no capture to keep (sluice-redirect not installed) or the agent has no node name or API access.</summary>
    public static CaptureReconciler? Create(AgentSettings settings, RedirectSettings plugin, Func<KubeConfig> kubeconfig, CaptureMetrics metrics, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (settings.PrimaryNetwork && !settings.Chained)
        {
            return null;
        }

        if (settings.NodeName is not { } node)
        {
            log.Warn("no NODE_NAME: pods' capture is not checked nor repaired");
            return null;
        }

        KubeClient client;
        try
        {
            client = new KubeClient(kubeconfig(), WriteOptions);
        }
        catch (KubeConfigException error)
        {
            log.Warn($"pods' capture is not checked nor repaired: {error.Message}");
            return null;
        }

        var procDir = settings.ProcDir;
        var forbidden = new HashSet<string>(StringComparer.Ordinal) { NetNs.CurrentIdentity() };
        if (NamespaceIdentity.Of(Path.Combine(procDir, "1", "ns", "net")) is { } host)
        {
            forbidden.Add(host);
        }

        var mode = settings.RepairMode;
        var options = new ReconcilerOptions(node, mode, settings.CaptureCheckPeriod, settings.ValidationContainers.ToHashSet(StringComparer.Ordinal));
        var finder = new NetnsFinder(SandboxRecords.DirectoryFor(plugin.AgentSocket), settings.NetnsDirs, procDir, forbidden, log);
        var reconciler = new CaptureReconciler(
            options, plugin, finder, new CaptureInspector(plugin.Backend, forbidden), new PodEventRecorder(client, node, metrics, log),
            mode is RepairMode.Label or RepairMode.Delete ? new UncapturedPodActions(client) : null, metrics, log,
            new PodSnapshot(Path.Combine(settings.RunDir, PodSnapshot.FileName), log));
        log.Info($"checking the capture of this node's mesh pods at start, on every pod change and every {settings.CaptureCheckPeriod.TotalSeconds:0} s; repair mode {mode.Name()}");
        return reconciler;
    }
}

using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Uninstall;

/// <summary>
/// <c>sluice-agent uninstall --daemonset NAME</c>, run by the chart's pre-delete hook Job: every
/// node's agent pod is replaced by one running <c>sluice-agent uninstall --keep-running true</c>
/// (a strategic merge patch of the DaemonSet's container args, all nodes at once), which removes
/// what the agent installed there and then reports ready; this waits until the rollout is
/// complete, as <c>kubectl rollout status</c> judges it. Only then does Helm delete the DaemonSet.
/// A Job runs on one node, so the node-local work is left to the pods that are on every node.
/// </summary>
public sealed class DaemonSetUninstall(KubeClient client, string ns, string name, AgentLog log)
{
    /// <summary>The agent's container in the chart's DaemonSet.</summary>
    public const string Container = "sluice-agent";

    /// <summary>The patch: every pod at once (the old agents keep their files on SIGTERM; the new pods remove them), each running the node-local uninstall; the container is <see cref="Container"/>.</summary>
    public const string Patch =
        """{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"100%"}},"template":{"spec":{"containers":[{"name":"sluice-agent","args":["uninstall","--keep-running","true"]}]}}}}""";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>True once every node's pod runs the uninstall and is ready; false when <paramref name="timeout"/> passed first (logged with what is missing).</summary>
    /// <exception cref="KubeApiException">The API server refused the patch or could not be reached.</exception>
    public async Task<bool> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var patched = await client.PatchDaemonSetAsync(ns, name, Patch, cancellationToken).ConfigureAwait(false);
        var generation = patched.Metadata.Generation ?? 0;
        log.Info($"daemonset {ns}/{name}: every pod switched to 'sluice-agent uninstall' (generation {generation}); waiting for each node");
        var last = "";
        while (true)
        {
            var daemonSet = await client.GetDaemonSetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            var progress = Progress(daemonSet, generation);
            if (progress is null)
            {
                log.Info($"daemonset {ns}/{name}: uninstalled on all {daemonSet.Status.DesiredNumberScheduled} nodes");
                return true;
            }

            if (progress != last)
            {
                log.Info($"daemonset {ns}/{name}: {progress}");
                last = progress;
            }

            if (DateTime.UtcNow + Poll > deadline)
            {
                log.Error($"daemonset {ns}/{name}: not uninstalled on every node within {timeout.TotalSeconds:0} s ({progress}); the nodes that did not finish keep Sluice's files (see docs/operations.md, manual uninstall)");
                return false;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the rollout still waits for, or null when it is complete.</summary>
    internal static string? Progress(DaemonSet daemonSet, long generation)
    {
        var status = daemonSet.Status;
        if (status.ObservedGeneration < generation)
        {
            return "waiting for the DaemonSet controller to see the change";
        }

        if (status.UpdatedNumberScheduled < status.DesiredNumberScheduled)
        {
            return $"{status.UpdatedNumberScheduled} of {status.DesiredNumberScheduled} nodes run the uninstall";
        }

        return status.NumberAvailable < status.DesiredNumberScheduled
            ? $"{status.NumberAvailable} of {status.DesiredNumberScheduled} nodes uninstalled"
            : null;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Nodes;

/// <summary>
/// Takes this node's readiness taint off its Node object once the agent is ready, so that
/// operators who register nodes with it get no pod scheduled there before capture works (as
/// Istio's node untaint controller does with <c>cni.istio.io/not-ready</c>). Only the
/// <c>NoSchedule</c> taints with the configured key go, by a JSON patch whose <c>test</c>
/// operations make it apply to the node as it was read or not at all (then it is read again).
/// </summary>
public sealed class ReadinessTaint(KubeClient client, string nodeName, string key, AgentLog log)
{
    public const string DefaultKey = "sluice.io/agent-not-ready";

    private const string NoSchedule = "NoSchedule";
    private const int Attempts = 5;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Until <paramref name="stop"/>: every time <paramref name="ready"/> becomes true (at start
    /// too), the taint is removed; a failure is logged and retried, with a growing pause, while the
    /// agent stays ready. Nothing is asked of the API server while the agent is not ready, nor
    /// between its becoming ready.
    /// </summary>
    public async Task RunAsync(Func<bool> ready, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var wasReady = false;
        var backoff = TimeSpan.FromSeconds(1);
        var done = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var isReady = ready();
                if (isReady && !wasReady)
                {
                    done = false;
                }

                wasReady = isReady;
                if (!isReady || done)
                {
                    await Task.Delay(Poll, stop).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await RemoveAsync(stop).ConfigureAwait(false);
                    done = true;
                    backoff = TimeSpan.FromSeconds(1);
                }
                catch (KubeApiException error)
                {
                    log.Warn($"cannot remove the taint {key}:{NoSchedule} from node {nodeName} (retrying in {backoff.TotalSeconds:0} s): {error.Message}");
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                    backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Removes the taint if the node has it; returns how many taints went (0 when none had the key and effect).</summary>
    /// <exception cref="KubeApiException">The node could not be read or patched (also when it kept changing between read and patch).</exception>
    public async Task<int> RemoveAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await client.GetNodeAsync(nodeName, cancellationToken).ConfigureAwait(false);
            var indices = Indices(node);
            if (indices.Count == 0)
            {
                return 0;
            }

            try
            {
                await client.PatchNodeAsync(nodeName, Patch(indices), cancellationToken).ConfigureAwait(false);
                log.Info($"removed the taint {key}:{NoSchedule} from node {nodeName}: the agent is ready, pods may be scheduled here");
                return indices.Count;
            }
            catch (KubeApiException error) when (error.StatusCode is 409 or 422 && attempt < Attempts)
            {
                log.Debug($"node {nodeName} changed between read and patch; reading it again");
            }
        }
    }

    private List<int> Indices(Node node)
    {
        var indices = new List<int>();
        for (var i = 0; i < node.Spec.Taints.Count; i++)
        {
            if (node.Spec.Taints[i] is { Effect: NoSchedule } taint && taint.Key == key)
            {
                indices.Add(i);
            }
        }

        return indices;
    }

    /// <summary>For each index, highest first (so the others stay valid): test its key and effect, then remove it.</summary>
    private string Patch(List<int> indices)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var index in Enumerable.Reverse(indices))
            {
                var path = "/spec/taints/" + index.ToString(CultureInfo.InvariantCulture);
                Operation(json, "test", path + "/key", key);
                Operation(json, "test", path + "/effect", NoSchedule);
                Operation(json, "remove", path, null);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Operation(Utf8JsonWriter json, string op, string path, string? value)
    {
        json.WriteStartObject();
        json.WriteString("op", op);
        json.WriteString("path", path);
        if (value is not null)
        {
            json.WriteString("value", value);
        }

        json.WriteEndObject();
    }
}

using System.Text;
using System.Text.Json;
using Sluice.Cni.Logging;
using Sluice.Json;
using Sluice.Kube.Models;
using Sluice.Linux;
using Sluice.Linux.Sockets;

namespace Sluice.Redirect;

/// <summary>
/// Pods from sluice-agent's cache over its Unix socket (a local round trip instead of a TLS
/// handshake per ADD), falling back to <paramref name="fallback"/> (the API server) when the
/// agent is absent, slow or cannot answer. The agent's "not found" (also "another UID") is final:
/// it asked the API server itself before saying so.
/// </summary>
internal sealed class AgentPodSource(string socketPath, IPodSource fallback, CniLog log) : IPodSource
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    /// <summary>Far above any pod (the API server's own limit on an object is 1.5 MB).</summary>
    private const int MaxAnswer = 16 * 1024 * 1024;

    public PodFacts Get(string podNamespace, string podName) => Get(new PodReference(podNamespace, podName));

    /// <summary>
    /// <c>GET namespace name [uid]</c>: the UID is sent when the runtime gave one (an agent of any
    /// version reads it; one that predates this check answers from the API server, and the answer is
    /// checked here as well).
    /// </summary>
    public PodFacts Get(PodReference pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var request = pod.Uid is null ? $"GET {pod.Namespace} {pod.Name}\n" : $"GET {pod.Namespace} {pod.Name} {pod.Uid}\n";
        byte[]? answer;
        try
        {
            answer = UnixLineClient.Exchange(socketPath, Encoding.UTF8.GetBytes(request), Patience, MaxAnswer);
        }
        catch (Exception error) when (error is LinuxException or IOException)
        {
            log.Debug($"sluice-agent at {socketPath} did not answer ({error.Message}); asking the API server");
            return fallback.Get(pod);
        }

        if (answer is not null && answer.AsSpan().StartsWith("200 "u8))
        {
            PodFacts facts;
            try
            {
                facts = PodFacts.From(PodJson.Read(answer.AsMemory(4)), pod.Namespace, pod.Name);
            }
            catch (Exception error) when (error is JsonException or JsonFieldException)
            {
                log.Warn($"sluice-agent at {socketPath} sent a pod that is not valid JSON; asking the API server");
                return fallback.Get(pod);
            }

            return pod.Checked(facts, "sluice-agent");
        }

        if (answer is not null && answer.AsSpan().StartsWith("404 "u8))
        {
            throw new PodLookupException($"looking up pod {pod} through sluice-agent: {Encoding.UTF8.GetString(answer.AsSpan(4))}");
        }

        log.Debug($"sluice-agent at {socketPath} could not answer ({(answer is null ? "no answer" : Encoding.UTF8.GetString(answer))}); asking the API server");
        return fallback.Get(pod);
    }
}

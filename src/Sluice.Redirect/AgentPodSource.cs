using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sluice.Cni.Logging;
using Sluice.Kube.Models;

namespace Sluice.Redirect;

/// <summary>
/// Pods from sluice-agent's cache over its Unix socket (a local round trip instead of a TLS
/// handshake per ADD), falling back to <paramref name="fallback"/> (the API server) when the
/// agent is absent, slow or cannot answer. The agent's "not found" is final: it asked the API
/// server itself before saying so.
/// </summary>
internal sealed class AgentPodSource(string socketPath, IPodSource fallback, CniLog log) : IPodSource
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    public PodFacts Get(string podNamespace, string podName)
    {
        string? answer;
        try
        {
            answer = Ask(socketPath, $"GET {podNamespace} {podName}\n");
        }
        catch (Exception error) when (error is SocketException or IOException)
        {
            log.Debug($"sluice-agent at {socketPath} did not answer ({error.GetType().Name}); asking the API server");
            return fallback.Get(podNamespace, podName);
        }

        if (answer is not null && answer.StartsWith("200 ", StringComparison.Ordinal))
        {
            try
            {
                return KubePodSource.Facts(PodJson.Read(answer[4..]), podNamespace, podName);
            }
            catch (JsonException)
            {
                log.Warn($"sluice-agent at {socketPath} sent a pod that is not valid JSON; asking the API server");
                return fallback.Get(podNamespace, podName);
            }
        }

        if (answer is not null && answer.StartsWith("404 ", StringComparison.Ordinal))
        {
            throw new PodLookupException($"looking up pod {podNamespace}/{podName} through sluice-agent: {answer[4..]}");
        }

        log.Debug($"sluice-agent at {socketPath} could not answer ({answer ?? "no answer"}); asking the API server");
        return fallback.Get(podNamespace, podName);
    }

    private static string? Ask(string socketPath, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.SendTimeout = (int)Patience.TotalMilliseconds;
        socket.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        socket.Send(Encoding.UTF8.GetBytes(request));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadLine();
    }
}

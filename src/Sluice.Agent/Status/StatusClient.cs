using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sluice.Agent.Status;

/// <summary>Asks the running agent for its <see cref="LiveStatus"/> over its status socket.</summary>
public static class StatusClient
{
    /// <summary>The agent's answer, or null with <paramref name="why"/> when no agent answered (none running, another user, too slow, garbled).</summary>
    public static LiveStatus? Ask(string socketPath, out string why)
    {
        if (!File.Exists(socketPath))
        {
            return Fail($"no agent socket at {socketPath} (the agent is not running, or its RUN_DIR is another)", out why);
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var clock = Stopwatch.StartNew();
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            SocketRequestReader.SendAll(socket, Encoding.ASCII.GetBytes(StatusSocket.Request + "\n"), StatusSocket.Deadline, clock);
            socket.Blocking = true;
            var line = SocketRequestReader.ReadHead(socket, StatusSocket.MaxAnswer, StatusSocket.Deadline - clock.Elapsed, "\n");
            why = "";
            return line is null ? Fail("the agent closed the connection without an answer", out why) : StatusSocket.Decode(line);
        }
        catch (SocketException error)
        {
            return Fail(error.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => $"no agent listens on {socketPath}",
                SocketError.AccessDenied => $"{socketPath} is root's only (run as root, or with kubectl exec into the agent's pod)",
                _ => $"{socketPath}: {error.SocketErrorCode}",
            }, out why);
        }
        catch (Exception error) when (error is TimeoutException or JsonException or Sluice.Json.JsonFieldException or InvalidOperationException)
        {
            return Fail($"{socketPath}: {error.Message}", out why);
        }
    }

    private static LiveStatus? Fail(string message, out string why)
    {
        why = message;
        return null;
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Agent;

/// <summary>
/// Reads the head of a request from a connected socket, for the agent's two servers (the health
/// and metrics endpoints, the pod lookups): bounded in size, and bounded in time for the whole
/// head rather than per read, so a client that trickles one byte at a time is cut off at the
/// deadline like a silent one. Blocking, for the caller's own thread.
/// </summary>
internal static class SocketRequestReader
{
    /// <summary>
    /// The text before the first of <paramref name="ends"/>, without a trailing CR; null when the
    /// client closed first or sent <paramref name="maxBytes"/> without an end.
    /// </summary>
    /// <exception cref="TimeoutException">The head was not complete within <paramref name="deadline"/>.</exception>
    /// <exception cref="SocketException">The connection failed (or was shut down under the reader).</exception>
    public static string? ReadHead(Socket client, int maxBytes, TimeSpan deadline, params string[] ends)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(ends);
        var terminators = Array.ConvertAll(ends, Encoding.ASCII.GetBytes);
        var overlap = terminators.Max(t => t.Length) - 1;
        var buffer = new byte[maxBytes];
        var length = 0;
        var clock = Stopwatch.StartNew();
        while (length < buffer.Length)
        {
            Wait(client, SelectMode.SelectRead, deadline, clock, "no complete request");
            var read = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0)
            {
                return null;
            }

            // Search again from just before the new bytes: an end may straddle two reads.
            var from = Math.Max(0, length - overlap);
            length += read;
            if (FirstEnd(buffer.AsSpan(from, length - from), terminators) is { } at)
            {
                return Encoding.UTF8.GetString(buffer, 0, from + at).TrimEnd('\r');
            }
        }

        return null;
    }

    /// <summary>Sends all of <paramref name="answer"/> unless <paramref name="deadline"/> (counted by <paramref name="clock"/>, started with the request) passes first.</summary>
    /// <exception cref="TimeoutException">The client did not take the answer in time.</exception>
    public static void SendAll(Socket client, ReadOnlySpan<byte> answer, TimeSpan deadline, Stopwatch clock)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);

        // Non-blocking: a send takes what fits in the socket's buffer and never waits beyond the poll.
        client.Blocking = false;
        while (!answer.IsEmpty)
        {
            Wait(client, SelectMode.SelectWrite, deadline, clock, "the answer was not taken");
            var sent = client.Send(answer, SocketFlags.None, out var error);
            if (error is not (SocketError.Success or SocketError.WouldBlock))
            {
                throw new SocketException((int)error);
            }

            answer = answer[sent..];
        }
    }

    private static void Wait(Socket client, SelectMode mode, TimeSpan deadline, Stopwatch clock, string what)
    {
        var remaining = deadline - clock.Elapsed;
        if (remaining <= TimeSpan.Zero || !client.Poll(remaining, mode))
        {
            throw new TimeoutException($"{what} within {deadline.TotalSeconds:0.#} s");
        }
    }

    private static int? FirstEnd(ReadOnlySpan<byte> bytes, byte[][] terminators)
    {
        int? first = null;
        foreach (var terminator in terminators)
        {
            var at = bytes.IndexOf(terminator);
            if (at >= 0 && (first is null || at < first))
            {
                first = at;
            }
        }

        return first;
    }
}

using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport.Traffic;

/// <summary>
/// Makes a TCP service of the test process's namespace reachable at the same loopback address and
/// port inside another namespace: the listening socket is created inside <c>ns</c>, and every
/// accepted connection is joined byte for byte to a new connection to the target. Lets plugins
/// run in a test node namespace talk to a server (the fake API) living in the test process.
/// </summary>
public sealed class NamespaceRelay : IDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();

    public NamespaceRelay(NetNs ns, IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _target = target;
        _listener = ns.Run(() =>
        {
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(target);
            socket.Listen(64);
            return socket;
        });
        _ = Task.Run(AcceptLoop);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inside;
            try
            {
                inside = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => Join(inside));
        }
    }

    private async Task Join(Socket inside)
    {
        using (inside)
        using (var outside = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await outside.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                using var a = new NetworkStream(inside, ownsSocket: false);
                using var b = new NetworkStream(outside, ownsSocket: false);
                // Either direction ending ends the connection (HTTP clients and servers here close, not half-close).
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token)).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // One side went away: the other is closed with it.
            }
        }
    }
}

using System.Net.Sockets;

namespace Sluice.Linux.Namespaces;

/// <summary>
/// Starts here, in the calling thread's namespace, the process-wide threads the .NET runtime
/// otherwise starts on first use: the timer thread (the first timer due) and the socket engine's
/// thread (the first socket waited on asynchronously). A new thread inherits the namespace of the
/// thread that creates it, and these two hand their work to the thread pool, whose new workers
/// they create: born inside a pod's namespace, they would leave pool threads there for the rest
/// of the process, and sockets opened on them would reach the pod's network. A process that enters
/// other namespaces calls this first, from its own namespace.
/// </summary>
public static class RuntimeThreads
{
    public static void StartInCurrentNamespace()
    {
        using (new CancellationTokenSource(TimeSpan.FromDays(1)))
        {
        }

        // An unbound datagram socket never receives: the receive waits in the engine until the
        // socket is closed, which ends it (as aborted; no exception is left unobserved).
        using var receive = new SocketAsyncEventArgs();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receive.SetBuffer(new byte[1], 0, 1);
        receive.Completed += (_, _) => ended.TrySetResult();
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            if (!socket.ReceiveAsync(receive))
            {
                return;
            }
        }

        ended.Task.Wait(TimeSpan.FromSeconds(5));
    }
}

using System.Diagnostics;

namespace Sluice.Bridge.Tests;

/// <summary>A socat server in a namespace that answers each TCP connection with the peer address it sees.</summary>
internal sealed class PeerAddressServer : IDisposable
{
    private readonly Process _process;

    public PeerAddressServer(TestNetns ns, int port, bool ipv6 = false)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "exec", ns.Name, "socat", $"TCP{(ipv6 ? "6" : "4")}-LISTEN:{port},reuseaddr,fork", "SYSTEM:echo $SOCAT_PEERADDR" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        Port = port;
        WaitListening(ns, port);
    }

    public int Port { get; }

    /// <summary>Connects from <paramref name="client"/> and returns what the server saw as our address (or the error).</summary>
    public static ProcessResult Ask(TestNetns client, string address, int port) =>
        client.TryExec("socat", "-T", "3", "-", address.Contains(':', StringComparison.Ordinal) ? $"TCP6:[{address}]:{port},connect-timeout=3" : $"TCP4:{address}:{port},connect-timeout=3");

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit();
        _process.Dispose();
    }

    private static void WaitListening(TestNetns ns, int port)
    {
        for (var i = 0; i < 100; i++)
        {
            if (ns.TryExec("ss", "-Hltn", $"sport = :{port}").Stdout.Contains("LISTEN", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"socat did not start listening on {port} in {ns.Name}");
    }
}

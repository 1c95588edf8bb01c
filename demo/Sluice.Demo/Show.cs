using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Namespaces;
using Sluice.TestSupport;

namespace Sluice.Demo;

/// <summary>What an operator would type to look around, run for them: commands inside a namespace, an HTTP GET from inside one.</summary>
internal static class Show
{
    /// <summary>Runs <paramref name="command"/> inside <paramref name="ns"/> (<c>ip netns exec</c>) and returns its output.</summary>
    public static string In(TestNetns ns, params string[] command)
    {
        var result = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", ns.Name, .. command], inheritEnvironment: true);
        return result.ExitCode == 0 ? result.Stdout : throw new DemoFailure($"{string.Join(' ', command)} in {ns.Name}: {result}");
    }

    /// <summary>GET <paramref name="path"/> from 127.0.0.1:<paramref name="port"/> of <paramref name="ns"/> (where a node's agent serves /metrics).</summary>
    public static string Get(NetNs ns, int port, string path) => ns.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 3000 };
        socket.Connect(System.Net.IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = reader.ReadToEnd();
        var body = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return body < 0 ? response : response[(body + 4)..];
    });
}

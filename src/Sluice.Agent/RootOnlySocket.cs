using System.Net.Sockets;

namespace Sluice.Agent;

/// <summary>A Unix socket the agent serves the plugins on: a stale one from an earlier run replaced, mode 0600 (the plugins run as root; nobody else may talk to it).</summary>
internal static class RootOnlySocket
{
    public static Socket Bind(string path, SocketType type)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Network;

/// <summary>
/// The install loop's ear for deletions of Sluice's routes (protocol <see cref="NodeRouteTable.Protocol"/>)
/// in the agent's namespace: opened on demand, once, and closed with the loop.
/// </summary>
public sealed class RouteChangeListener : IDisposable
{
    private RouteChangeSocket? _socket;

    /// <summary>Starts listening (again a no-op).</summary>
    public void Open() => _socket ??= RouteChangeSocket.Open(NodeRouteTable.Protocol);

    /// <summary>Whether one of our routes was deleted (or notifications were lost) since the last call; false before <see cref="Open"/>.</summary>
    public bool DeletedSinceLastLook() => _socket?.DrainDeleted() > 0;

    public void Dispose() => _socket?.Dispose();
}

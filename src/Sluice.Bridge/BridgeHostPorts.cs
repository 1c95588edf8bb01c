using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>
/// The bridge's hostPort step (<see cref="BridgeSettings.HostPorts"/>): sluice-portmap's commands
/// run in this process on the bridge's request, with the bridge's own result as prevResult.
/// </summary>
internal static class BridgeHostPorts
{
    public static CniRequest<PortmapSettings> Request(CniRequest<BridgeSettings> request, PortmapSettings settings, CniResult? result) => new()
    {
        Env = request.Env,
        Settings = settings,
        Config = request.Config,
        RawConfig = request.RawConfig,
        CniVersion = request.CniVersion,
        PrevResult = result,
        Log = request.Log,
    };
}

using Sluice.Cni;
using Sluice.Cni.Plugin;

namespace Sluice.Bridge.Ipam;

internal static class IpamFactory
{
    /// <summary>sluice-ipam runs in-process; every other type is delegated.</summary>
    public static IIpam For(CniRequest<BridgeConfig> request)
    {
        var type = request.Config.IpamType
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "field 'ipam.type' is missing: sluice-bridge needs an IPAM plugin");
        return type == InProcessIpam.PluginType
            ? new InProcessIpam(request.Config, request.Env)
            : new DelegatedIpam(request.Delegate(type));
    }
}

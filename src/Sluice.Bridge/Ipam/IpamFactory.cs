using Sluice.Cni.Plugin;

namespace Sluice.Bridge.Ipam;

internal static class IpamFactory
{
    /// <summary>sluice-ipam runs in-process (its settings were read with the bridge's); every other type is delegated.</summary>
    public static IIpam For(CniRequest<BridgeSettings> request) =>
        request.Settings.InProcessIpam is { } settings
            ? new InProcessIpam(settings, request.Config, request.Env)
            : new DelegatedIpam(request.Delegate(request.Settings.IpamType));
}

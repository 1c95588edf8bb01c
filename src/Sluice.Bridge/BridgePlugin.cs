using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux;
using Sluice.Linux.Iptables;

namespace Sluice.Bridge;

/// <summary>sluice-bridge: gives the pod an interface on a node-local bridge, with addresses from IPAM.</summary>
public static class BridgePlugin
{
    public const string Name = "sluice-bridge";

    public static CniPlugin<BridgeConfig, BridgeSettings> Definition { get; } = new()
    {
        Name = Name,
        Config = BridgeConfig.Shape,
        Settings = BridgeSettings.From,
        KnownArgs = [.. CniArgs.KubernetesKeys, "IP", "MAC"],
        TranslateException = Translate,
        Add = request => new BridgeAdd(request).Run(),
        Del = request => new BridgeDel(request).Run(),
        Check = request => new BridgeCheck(request).Run(),
        Status = Status,
        Gc = request => new BridgeGc(request).Run(),
    };

    public static int Main() => CniDispatcher.Run(Definition, CniIo.ForProcess());

    internal static CniException? Translate(Exception error) => error switch
    {
        LinuxException kernel => new CniException(SluiceErrorCode.KernelRejected, kernel.Message),
        IptablesException iptables => new CniException(SluiceErrorCode.FirewallFailed, iptables.Message),
        _ => null,
    };

    /// <summary>Ready when IPAM is, and with the portMappings capability when the hostPort rules' backend is there.</summary>
    private static void Status(CniRequest<BridgeSettings> request)
    {
        Ipam.IpamFactory.For(request).Status();
        if (request.Settings.HostPorts is { } hostPorts)
        {
            Portmap.HostPortStep.Status(hostPorts);
        }
    }
}

using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Firewall;
using Sluice.Linux;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;
using Sluice.Linux.Processes;

namespace Sluice.Portmap;

/// <summary>sluice-portmap: a chained plugin mapping the node's ports to the pod (the <c>portMappings</c> capability, Kubernetes' hostPort).</summary>
public static class PortmapPlugin
{
    public const string Name = "sluice-portmap";

    public static CniPlugin<PortmapConfig, PortmapSettings> Definition { get; } = new()
    {
        Name = Name,
        Config = PortmapConfig.Shape,
        Settings = PortmapSettings.From,
        TranslateException = Translate,
        Add = request => new PortmapAdd(request).Run(),
        Del = request => new PortmapDel(request).Run(),
        Check = request => new PortmapCheck(request).Run(),
        Status = request => Status(request.Settings),
        Gc = request => new PortmapGc(request).Run(),
    };

    public static int Main() => CniDispatcher.Run(Definition, CniIo.ForProcess());

    internal static CniException? Translate(Exception error) => error switch
    {
        LinuxException kernel => new CniException(SluiceErrorCode.KernelRejected, kernel.Message),
        IptablesException iptables => new CniException(SluiceErrorCode.FirewallFailed, iptables.Message),
        _ => null,
    };

    /// <summary>Ready when the backend an ADD would use is there: nf_tables in the kernel, or the iptables tools of the chosen variant.</summary>
    internal static void Status(PortmapSettings settings)
    {
        var choice = NodeFirewall.Choose(settings.Backend);
        if (choice.Kind == FirewallKind.Nftables)
        {
            using var nft = Nftables.Open();
            if (!nft.IsSupported())
            {
                throw new CniException(CniErrorCode.PluginNotAvailable, "the kernel has no nf_tables, which the hostPort rules need (backend nftables)");
            }

            return;
        }

        var iptables = new Iptables(choice.Variant);
        var missing = new[] { System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.AddressFamily.InterNetworkV6 }
            .SelectMany(family => new[] { iptables.Tool(family, "save"), iptables.Tool(family, "restore") })
            .Where(tool => ProgramPath.Find(tool) is null)
            .ToList();
        if (missing.Count > 0)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"{string.Join(", ", missing)}, which the hostPort rules need, not found in {string.Join(':', ProgramPath.SearchPath)} (backend {choice.Name}: {choice.Reason})");
        }
    }
}

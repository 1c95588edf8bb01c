using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Ipam;
using Sluice.Ipam.Config;
using Sluice.Ipam.Store;

namespace Sluice.IpamPlugin;

/// <summary>sluice-ipam: hands out addresses from host-local-style range sets, keyed by attachment.</summary>
public static class IpamPlugin
{
    public const string Name = "sluice-ipam";

    public static CniPlugin<IpamPluginConfig, IpamSettings> Definition { get; } = new()
    {
        Name = Name,
        Config = IpamPluginConfig.Shape,
        Settings = (config, _) => IpamSettings.Load(config),
        KnownArgs = [.. CniArgs.KubernetesKeys, "IP"],
        Add = Add,
        Del = Del,
        Check = Check,
        Status = request => AddressManager.OnDisk.Status(request.Settings),
        Gc = Gc,
    };

    public static int Main() => CniDispatcher.Run(Definition, CniIo.ForProcess());

    private static CniResult Add(CniRequest<IpamSettings> request)
    {
        var settings = request.Settings;
        var requested = RequestedAddresses.From(request.Config, request.Env.Args);
        var result = AddressManager.OnDisk.Add(settings, KeyOf(request), requested);
        request.Log.Info($"allocated {string.Join(", ", result.Ips!.Select(ip => ip.Address))} in {settings.NetworkName}");
        return result;
    }

    private static void Del(CniRequest<IpamSettings> request)
    {
        var settings = request.Settings;
        var released = AddressManager.OnDisk.Del(settings, KeyOf(request));
        request.Log.Info(released.Count == 0
            ? $"nothing allocated in {settings.NetworkName}"
            : $"released {string.Join(", ", released)} in {settings.NetworkName}");
    }

    private static void Check(CniRequest<IpamSettings> request) =>
        AddressManager.OnDisk.Check(request.Settings, KeyOf(request), request.PrevResult);

    private static void Gc(CniRequest<IpamSettings> request)
    {
        var settings = request.Settings;
        var valid = request.Config.GcValidAttachments.Select(a => new AttachmentKey(a.ContainerId, a.IfName)).ToList();
        var report = AddressManager.OnDisk.Gc(settings, valid);
        foreach (var (address, owner) in report.Released)
        {
            request.Log.Info($"GC released {address} (held by {owner?.ContainerId ?? "nobody"})");
        }

        if (report.Errors.Count > 0)
        {
            throw new CniException(CniErrorCode.IoFailure, $"GC of {settings.NetworkName} finished with errors: {string.Join("; ", report.Errors)}");
        }
    }

    private static AttachmentKey KeyOf(CniRequest<IpamSettings> request) => new(request.Env.ContainerId, request.Env.IfName);
}

using Sluice.Cni.Plugin;

namespace Sluice.Portmap;

/// <summary>
/// The hostPort step for a primary plugin that maps its own pods' ports (sluice-bridge with the
/// portMappings capability): sluice-portmap's ADD, DEL, CHECK, GC and STATUS, run in the primary's
/// process on a request whose settings come from <see cref="PortmapSettings.ForPrimary"/> and
/// whose prevResult is the primary's own result. The rules are the same, tagged with the same
/// owner, so either plugin removes what the other made.
/// </summary>
public static class HostPortStep
{
    public static void Add(CniRequest<PortmapSettings> request) => new PortmapAdd(request).Run();

    public static void Del(CniRequest<PortmapSettings> request) => new PortmapDel(request).Run();

    public static void Check(CniRequest<PortmapSettings> request) => new PortmapCheck(request).Run();

    public static void Gc(CniRequest<PortmapSettings> request) => new PortmapGc(request).Run();

    /// <summary>Throws the spec's "plugin not available" error when the backend an ADD would use is missing.</summary>
    public static void Status(PortmapSettings settings) => PortmapPlugin.Status(settings);
}

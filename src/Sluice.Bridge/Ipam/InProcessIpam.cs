using Sluice.Cni;
using Sluice.Cni.Config;
using Sluice.Cni.Results;
using Sluice.Ipam;
using Sluice.Ipam.Config;
using Sluice.Ipam.Store;

namespace Sluice.Bridge.Ipam;

/// <summary>sluice-ipam called in-process: no exec, same store and semantics as the standalone plugin.</summary>
internal sealed class InProcessIpam(IpamSettings settings, NetworkConfig config, CniEnvironment env) : IIpam
{
    public const string PluginType = "sluice-ipam";

    public string Type => PluginType;

    private AttachmentKey Key => new(env.ContainerId, env.IfName);

    public CniResult Add() => AddressManager.OnDisk.Add(settings, Key, RequestedAddresses.From(config, env.Args));

    public void Del() => AddressManager.OnDisk.Del(settings, Key);

    public void Check(CniResult? previous) => AddressManager.OnDisk.Check(settings, Key, previous);

    public void Status() => AddressManager.OnDisk.Status(settings);

    public void Gc(IReadOnlyList<Attachment> valid)
    {
        var report = AddressManager.OnDisk.Gc(settings, valid.Select(a => new AttachmentKey(a.ContainerId, a.IfName)).ToList());
        if (report.Errors.Count > 0)
        {
            throw new CniException(CniErrorCode.IoFailure, $"IPAM GC of {settings.NetworkName} finished with errors: {string.Join("; ", report.Errors)}");
        }
    }
}

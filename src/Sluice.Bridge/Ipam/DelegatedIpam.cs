using Sluice.Cni.Config;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;

namespace Sluice.Bridge.Ipam;

/// <summary>Any other IPAM plugin (host-local, static, dhcp, …), executed through CNI_PATH as the spec says.</summary>
internal sealed class DelegatedIpam(DelegatedPlugin plugin) : IIpam
{
    public string Type => plugin.Type;

    public CniResult Add() => plugin.Add();

    public void Del() => plugin.Del();

    public void Check(CniResult? previous) => plugin.Check();

    public void Status() => plugin.Status();

    public void Gc(IReadOnlyList<Attachment> valid) => plugin.Gc();
}

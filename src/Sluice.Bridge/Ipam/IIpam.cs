using Sluice.Cni.Config;
using Sluice.Cni.Results;

namespace Sluice.Bridge.Ipam;

/// <summary>The IPAM behind a bridge network: sluice-ipam in-process, or any IPAM plugin through CNI_PATH.</summary>
internal interface IIpam
{
    string Type { get; }

    CniResult Add();

    void Del();

    void Check(CniResult? previous);

    void Status();

    void Gc(IReadOnlyList<Attachment> valid);
}

using Sluice.Capture;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux.Namespaces;

namespace Sluice.Redirect;

/// <summary>CHECK: for an enabled pod, the capture rules in its netns are exactly the ones ADD installs.</summary>
internal sealed class RedirectCheck(CniRequest<RedirectSettings> request, Func<RedirectSettings, IPodSource> podSource)
{
    public void Run()
    {
        if (request.PrevResult is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "sluice-redirect is a chained plugin and needs prevResult");
        }

        var settings = request.Settings;
        if (RedirectDecision.For(request, settings, podSource) is not { Capture: true, Policy: { } policy })
        {
            return;
        }

        using var ns = CniNetNs.Open(request.Env.NetNs, NetNsEntry.CallingThread);
        using var engine = CaptureEngine.Open(ns, settings.Backend);
        var problems = engine.Verify(policy);
        if (problems.Count > 0)
        {
            throw new CniException(
                SluiceErrorCode.CheckFailed,
                $"capture rules in {ns.Description} differ from the pod's policy ({engine.Backend}): {string.Join("; ", problems)}");
        }
    }
}

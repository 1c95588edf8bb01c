using Sluice.Capture;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux.Namespaces;

namespace Sluice.Redirect;

/// <summary>
/// DEL: succeeds in every case. When the netns still exists the capture rules are removed from it
/// (the namespace may outlive the sandbox); a netns that is gone, or never had rules, is fine.
/// The API server is not asked: the pod may already be deleted.
/// </summary>
internal sealed class RedirectDel(CniRequest<RedirectSettings> request)
{
    public void Run()
    {
        SandboxRecords.Forget(request);
        // Refused (error 4) when CNI_NETNS names something else than a network namespace; gone is fine.
        using var ns = request.Env.NetNs.Length == 0 ? null : CniNetNs.OpenUnlessGone(request.Env.NetNs, NetNsEntry.CallingThread);
        if (ns is null)
        {
            request.Log.Debug("no netns: nothing to remove");
            return;
        }

        try
        {
            var settings = request.Settings;
            using var engine = CaptureEngine.Open(ns, settings.Backend);
            var removed = engine.Remove(settings.BasePolicy);
            request.Log.Info(removed.Count == 0 ? "no capture rules to remove" : $"removed capture rules: {string.Join(", ", removed)}");
        }
        catch (Exception error)
        {
            // DEL must succeed: the rules go with the namespace anyway.
            request.Log.Warn($"could not remove capture rules from {request.Env.NetNs}: {error.Message}");
        }
    }
}

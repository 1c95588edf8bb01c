using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Cni;
using Sluice.Cni.Logging;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Linux;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Redirect;

/// <summary>
/// ADD: decide from the pod's metadata, install capture in the pod's netns if enabled, and pass
/// the previous result through unchanged. Nothing is looked up for pods outside Kubernetes or
/// in excluded namespaces; a failed lookup fails the ADD unless the failure policy is ignore.
/// </summary>
internal sealed class RedirectAdd(CniRequest<RedirectSettings> request, Func<RedirectSettings, IPodSource> podSource)
{
    public CniResult Run()
    {
        var previous = request.PrevResult ?? throw new CniException(
            CniErrorCode.InvalidNetworkConfig,
            "sluice-redirect is a chained plugin and needs prevResult: list it after the plugin that gives the pod its interface");
        var settings = request.Settings;
        InstallCapture(settings);
        SandboxRecords.Remember(request, settings);
        return previous;
    }

    private void InstallCapture(RedirectSettings settings)
    {
        var decision = RedirectDecision.For(request, settings, podSource);
        if (decision is null)
        {
            return;
        }

        request.Log.Info(decision.ToString());
        if (decision.Capture)
        {
            // One short single-threaded process: entering on this thread is cheaper than starting
            // one, and staying there for the whole apply makes every socket the engine opens, every
            // /proc file it reads and every iptables-restore it runs the pod's without a switch of
            // its own (the engine given no namespace works in the caller's).
            using var ns = CniNetNs.Open(request.Env.NetNs, NetNsEntry.CallingThread);
            var policy = decision.Policy!;
            var outcome = ns.Run(() =>
            {
                // One route socket for the watch of lo and the engine's policy routing.
                using var rtnl = Rtnl.Open("the pod's netns");
                using var loopback = RuntimeLoopback.MattersFor(policy) ? WatchLoopback(rtnl, settings) : null;
                if (loopback?.WasDown == true)
                {
                    request.Log.Debug($"lo is down: the runtime's loopback step is still to come, and the passthrough address waits for it (at most {loopback.Patience.TotalMilliseconds:0} ms)");
                }

                using var engine = CaptureEngine.Open(null, settings.Backend, routes: rtnl);
                var applied = engine.Apply(policy, loopback);
                if (loopback?.Outcome is { } waited)
                {
                    request.Log.Write(loopback.GaveUp ? LogLevel.Warn : LogLevel.Info, waited);
                }

                return applied;
            });
            request.Log.Info($"capture {(outcome.Changed ? "installed" : "already in place")} with {outcome.Backend} ({outcome.Reason})" +
                (outcome.Cleared.Count > 0 ? $"; cleared {string.Join(", ", outcome.Cleared)}" : ""));
        }
    }

    /// <summary>The watch of lo for the passthrough address; best effort: without it the address goes on at once, as before.</summary>
    private RuntimeLoopback? WatchLoopback(Rtnl rtnl, RedirectSettings settings)
    {
        try
        {
            return RuntimeLoopback.Watch(rtnl, RuntimeLoopback.DefaultPatience, RuntimeLoopback.DefaultSettle, RuntimeLoopback.LibcniResultOf(request.Env.ContainerId), LoopbackOrder(settings));
        }
        catch (LinuxException error)
        {
            request.Log.Warn($"cannot watch lo for the runtime's loopback step ({error.Message}): the passthrough address goes on without waiting");
            return null;
        }
    }

    /// <summary>
    /// The configured order, or for <c>auto</c> the calling runtime's: CRI-O brings lo up and checks
    /// it in its own process before any network runs; anything else may be containerd, whose go-cni
    /// runs the loopback plugin beside the chain.
    /// </summary>
    private RuntimeLoopbackOrder LoopbackOrder(RedirectSettings settings)
    {
        if (settings.RuntimeLoopback is { } configured)
        {
            return configured;
        }

        if (CallingRuntime.IsCriO())
        {
            request.Log.Debug("runtimeLoopback auto: called by CRI-O (crio), which finishes its loopback step before the chain");
            return RuntimeLoopbackOrder.BeforeChain;
        }

        return RuntimeLoopbackOrder.BesideChain;
    }
}

/// <summary>The decision for a CNI call: null when there is no pod to decide for, or the lookup failed and the failure policy says ignore.</summary>
internal static class RedirectDecision
{
    public static CaptureDecision? For(CniRequest<RedirectSettings> request, RedirectSettings settings, Func<RedirectSettings, IPodSource> podSource)
    {
        if (PodReference.From(request.Env.Args) is not { } pod)
        {
            request.Log.Info("no K8S_POD_NAMESPACE/K8S_POD_NAME in CNI_ARGS: not a Kubernetes pod, passing through");
            return null;
        }

        request.Log.Pod = pod.ToString();
        if (settings.ExcludeNamespaces.Contains(pod.Namespace))
        {
            return CaptureDecision.Skip($"namespace {pod.Namespace} is excluded");
        }

        PodFacts facts;
        try
        {
            facts = podSource(settings).Get(pod);
        }
        catch (PodLookupException error)
        {
            if (settings.FailurePolicy == FailurePolicy.Ignore)
            {
                request.Log.Warn($"{error.Message}; failurePolicy is ignore: the pod starts without capture");
                return null;
            }

            throw new CniException(SluiceErrorCode.KubernetesUnavailable, error.Message);
        }

        try
        {
            return CaptureDecider.Decide(settings, facts);
        }
        catch (PolicyException error)
        {
            // The value is the pod author's: shown escaped, it stays one line in kubelet's events and logs.
            throw new CniException(SluiceErrorCode.InvalidPodSettings, $"pod {pod}: {LogText.Escape(error.Message)}");
        }
    }
}

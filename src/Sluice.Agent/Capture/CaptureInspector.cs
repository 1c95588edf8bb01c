using System.Net;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Capture;

/// <summary>
/// Checks and repairs one pod's capture inside its namespace, with the engine sluice-redirect and
/// CHECK use (<see cref="CaptureEngine.Verify"/>, <see cref="CaptureEngine.Apply"/>: one atomic
/// batch). Each call enters the namespace once on the calling thread, which must be the
/// reconciler's own thread (never the thread pool): it confirms the namespace first (not the host's
/// or the agent's, and holding every address the pod has), then works inside it with everything the
/// engine opens (sockets, /proc reads, iptables-restore) being the pod's.
/// </summary>
public sealed class CaptureInspector(CaptureBackendKind backend, IReadOnlySet<string> forbidden)
{
    public Inspection Inspect(string path, IReadOnlyList<IPAddress> podAddresses, CapturePolicy policy) =>
        InPodNamespace(path, podAddresses, routes =>
        {
            using var engine = CaptureEngine.Open(null, backend, routes: routes);
            var problems = engine.Verify(policy);
            var result = problems.Count == 0 ? InspectionResult.InPlace : engine.HoldsRules() ? InspectionResult.Different : InspectionResult.Absent;
            return new Inspection(result, problems);
        });

    /// <summary>Installs the policy (nothing changes when it is in place); the outcome, or why the namespace is not the pod's.</summary>
    public (CaptureOutcome? Outcome, Inspection? Refused) Repair(string path, IReadOnlyList<IPAddress> podAddresses, CapturePolicy policy)
    {
        CaptureOutcome? outcome = null;
        var refused = InPodNamespace(path, podAddresses, routes =>
        {
            using var engine = CaptureEngine.Open(null, backend, routes: routes);
            outcome = engine.Apply(policy);
            return new Inspection(InspectionResult.InPlace, []);
        });
        return refused.Result == InspectionResult.NotThePods ? (null, refused) : (outcome, null);
    }

    /// <summary>Runs <paramref name="work"/> in the pod's namespace with the one route socket this visit opens there (the address check's, then the engine's policy routing).</summary>
    private Inspection InPodNamespace(string path, IReadOnlyList<IPAddress> podAddresses, Func<Rtnl, Inspection> work)
    {
        NetNs ns;
        try
        {
            ns = NetNs.Open(path, NetNsEntry.CallingThread);
        }
        catch (Sluice.Linux.LinuxException error)
        {
            return Inspection.NotThePods($"{path} cannot be opened: {error.Message}");
        }

        using (ns)
        {
            if (forbidden.Contains(ns.Identity()))
            {
                return Inspection.NotThePods($"{path} is the host's or the agent's own network namespace");
            }

            return ns.Run(() =>
            {
                using var rtnl = Rtnl.Open(ns.Description);
                if (podAddresses.Count > 0 && Missing(rtnl, podAddresses) is { } missing)
                {
                    return Inspection.NotThePods($"{path} does not hold the pod's address {missing}");
                }

                return work(rtnl);
            });
        }
    }

    /// <summary>The first of the pod's addresses the namespace does not hold, or null.</summary>
    private static IPAddress? Missing(Rtnl rtnl, IReadOnlyList<IPAddress> podAddresses)
    {
        var held = rtnl.ListAddresses();
        foreach (var address in podAddresses)
        {
            var found = false;
            foreach (var entry in held)
            {
                if (entry.Address.Equals(address))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return address;
            }
        }

        return null;
    }
}

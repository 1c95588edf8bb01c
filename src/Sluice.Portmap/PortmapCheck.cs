using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Portmap.Firewall;

namespace Sluice.Portmap;

/// <summary>
/// CHECK: the rules of this attachment are exactly those its mappings and prevResult call for, in
/// the backend that holds them (with the jumps that lead to them), and route_localnet is set
/// towards the pod when localhost is masqueraded.
/// </summary>
internal sealed class PortmapCheck(CniRequest<PortmapSettings> request)
{
    public void Run()
    {
        var previous = request.PrevResult
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "sluice-portmap is a chained plugin and CHECK needs prevResult");
        var settings = request.Settings;
        if (settings.Mappings.Count == 0)
        {
            return;
        }

        var plan = ForwardPlan.For(settings, PodAddresses.From(previous, request.Env.IfName));
        var firewalls = HostPortFirewalls.Holding();
        try
        {
            // The backend holding this attachment's DNAT rules; else the one holding anyone's, to say what is missing there.
            var holder = firewalls.FirstOrDefault(f => f.Forwards().Any(forward => forward.Owner == plan.Owner)) ?? firewalls.FirstOrDefault()
                ?? throw Failed($"no port mapping rules are installed on this node (the mappings of {plan.Owner} are missing)");
            var problems = holder.Verify(plan).ToList();
            if (plan.Masquerades.Count > 0)
            {
                problems.AddRange(LocalnetRouting.Missing(plan.Forwards.Select(f => f.PodAddress))
                    .Select(key => $"sysctl {key} is not 1 (127.0.0.1 cannot reach the pod)"));
            }

            if (problems.Count > 0)
            {
                throw Failed($"{string.Join("; ", problems)} ({holder.Name})");
            }
        }
        finally
        {
            firewalls.ForEach(f => f.Dispose());
        }
    }

    private static CniException Failed(string problem) => new(SluiceErrorCode.CheckFailed, $"CHECK failed: {problem}");
}

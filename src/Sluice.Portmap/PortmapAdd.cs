using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Firewall;
using Sluice.Portmap.Firewall;

namespace Sluice.Portmap;

/// <summary>
/// ADD: the pod's forwards from its mappings and prevResult addresses; route_localnet towards the
/// pod; under the node's firewall lock, refuse a port another pod holds and install the rules in
/// one change (none when they are already in place); stale UDP conntrack entries of the ports
/// removed. A pod without mappings costs nothing: the previous result passes through untouched.
/// </summary>
internal sealed class PortmapAdd(CniRequest<PortmapSettings> request)
{
    private readonly PortmapSettings _settings = request.Settings;

    public CniResult Run()
    {
        var previous = request.PrevResult ?? throw new CniException(
            CniErrorCode.InvalidNetworkConfig,
            "sluice-portmap is a chained plugin and needs prevResult: list it after the plugin that gives the pod its addresses");
        if (_settings.Mappings.Count == 0)
        {
            request.Log.Debug("no port mappings: passing the result through");
            return previous;
        }

        var plan = ForwardPlan.For(_settings, PodAddresses.From(previous, request.Env.IfName));
        if (plan.Masquerades.Count > 0)
        {
            // Before the lock, which serialises the node's hostPort changes: this needs none (it
            // only ever turns the setting on), and an ADD that fails later leaves a setting every
            // mapped pod behind the same interface needs anyway.
            LocalnetRouting.Enable(plan.Forwards.Select(f => f.PodAddress));
        }

        using (NodeFirewall.Lock())
        {
            Install(plan);
        }

        StaleConnections.AfterAdd(plan.Forwards, request.Log);
        request.Log.Info($"mapped {string.Join(", ", plan.Forwards.Select(f => f.Describe()))}");
        return previous;
    }

    private void Install(ForwardPlan plan)
    {
        // One look at where Sluice's rules are, for both the choice and the other backends.
        var survey = FirewallSurvey.Take(FirewallComponent.All);
        using var firewall = HostPortFirewalls.Chosen(_settings, request.Log, survey);
        var others = HostPortFirewalls.Holding(except: firewall.Name, survey);
        try
        {
            HostPortConflicts.ThrowIfAny([.. firewall.Forwards(), .. others.SelectMany(o => o.Forwards())], plan);
            using var undo = new Rollback(request.Log);
            foreach (var other in others)
            {
                // Rules of this attachment in another backend (the configuration's backend changed): they move.
                if (other.Remove(owner => owner == plan.Owner).Count > 0)
                {
                    request.Log.Info($"moved this attachment's mappings from {other.Name} to {firewall.Name}");
                }
            }

            undo.Add($"removing the mappings from {firewall.Name}", () => firewall.Remove(owner => owner == plan.Owner));
            var changed = firewall.Apply(plan);
            undo.Commit();
            request.Log.Debug(changed ? $"rules installed with {firewall.Name}" : $"rules already in place ({firewall.Name})");
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }
    }
}

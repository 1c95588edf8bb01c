using System.Globalization;
using System.Text;

namespace Sluice.Agent.Health;

/// <summary>The agent's state in Prometheus' text format.</summary>
public static class AgentMetrics
{
    public static string Render(AgentCounters counters, bool ready)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var text = new StringBuilder();
        Metric(text, "sluice_agent_installs_total", "counter", "Files written because they were missing or different (binaries, kubeconfig, CNI configuration).", counters.Installs);
        Metric(text, "sluice_agent_reinstalls_total", "counter", "Times the sluice-redirect entry was put back after another component removed it.", counters.Reinstalls);
        Metric(text, "sluice_agent_reconcile_errors_total", "counter", "Reconcile steps that failed (read-only or full disk, unreadable token, invalid primary configuration).", counters.ReconcileErrors);
        Metric(text, "sluice_agent_routes", "gauge", "Routes to other nodes' pod CIDRs in place (primary-network mode).", counters.Routes);
        Metric(text, "sluice_agent_route_changes_total", "counter", "Routes to other nodes' pods written or removed.", counters.RouteChanges);
        Metric(text, "sluice_agent_route_failures_total", "counter", "Routes the kernel refused (a node's InternalIP not on a connected network).", counters.RouteFailures);
        Metric(text, "sluice_agent_ready", "gauge", "1 while binaries, kubeconfig and configuration entry are all in place.", ready ? 1 : 0);
        counters.Plugins.Render(text);
        counters.Capture.Render(text);
        counters.Lookups.Render(text);
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}

using Sluice.Agent.Settings;
using Sluice.CommandLine;

namespace Sluice.Agent.Status;

/// <summary>The options of <c>sluice-agent status</c>: its own, then every agent setting (they say where to look).</summary>
internal static class StatusOptions
{
    public static readonly Command Command = new(
        "Usage: sluice-agent status [--json] [--SETTING VALUE]...",
        "This node's Sluice status: the CNI configuration the runtime uses and Sluice's place in it, the installed binaries,\n" +
        "the plugins' kubeconfig, and from the running agent (its root-only socket in RUN_DIR) this node's pods and their\n" +
        "capture, routes to other nodes and the plugins' last errors. Run it in the agent's pod (kubectl exec), where the\n" +
        "settings come from its environment, or on the node with the host's paths (--cni-conf-dir /etc/cni/net.d ...).")
    {
        Footer = "Colour only on a terminal, and never with NO_COLOR set.\n" +
            "Exit status: 0 all well, 1 a problem is shown, 2 bad usage, 3 the agent did not answer (the facts on disk are still shown).",
    };

    public static readonly Option<bool> Json = Command.Add(new Option<bool>(
        "--json", Values.Boolean, "print the status as JSON")
    { IsSwitch = true, Default = "false" });

    static StatusOptions() => Command.Include(AgentOptions.Command.Options);
}

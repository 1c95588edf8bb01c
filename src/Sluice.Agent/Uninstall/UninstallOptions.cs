using Sluice.Agent.Settings;
using Sluice.CommandLine;

namespace Sluice.Agent.Uninstall;

/// <summary>The options of <c>sluice-agent uninstall</c>: its own, then every agent setting (they say where the agent installed what).</summary>
internal static class UninstallOptions
{
    public static readonly Command Command = new(
        "Usage: sluice-agent uninstall [--keep-running BOOL] [--SETTING VALUE]...\n       sluice-agent uninstall --daemonset NAME --namespace NS [--timeout-seconds N]",
        "Removes what sluice-agent installed on this node (configuration entry or file first, then routes in primary-network mode,\n" +
        "the plugins' kubeconfig, the binaries, then capture-pods.json and sandboxes/ in the run dir); what is already gone\n" +
        "is fine. With --daemonset: on every node, by switching that DaemonSet's pods to 'uninstall --keep-running true'\n" +
        "and waiting until each is ready (the Helm pre-delete hook).")
    {
        Footer = "Exit status: 0 uninstalled, 1 something could not be removed (or the DaemonSet did not finish in time), 2 bad usage.",
    };

    public static readonly Option<bool> KeepRunning = Command.Add(new Option<bool>(
        "--keep-running", Values.Boolean, "after uninstalling, serve /healthz and /readyz (ready once everything is gone) until SIGTERM, uninstalling again every 2 s")
    { Default = "false", ValueName = "BOOL" });

    public static readonly Option<string> DaemonSet = Command.Add(new Option<string>(
        "--daemonset", Values.Text, "uninstall on every node of this DaemonSet instead of this node")
    { Default = "", ValueName = "NAME" });

    public static readonly Option<string> Namespace = Command.Add(new Option<string>(
        "--namespace", Values.Text, "the DaemonSet's namespace")
    { Variable = "POD_NAMESPACE", Default = "", ValueName = "NS" });

    public static readonly Option<TimeSpan> Timeout = Command.Add(new Option<TimeSpan>(
        "--timeout-seconds", Values.Seconds, "how long to wait for every node (with --daemonset)")
    { Default = "300", ValueName = "N" });

    static UninstallOptions() => Command.Include(AgentOptions.Command.Options);
}

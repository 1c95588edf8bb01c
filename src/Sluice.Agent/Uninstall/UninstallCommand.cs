using Sluice.Agent.Health;
using Sluice.Agent.Settings;
using Sluice.CommandLine;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Uninstall;

/// <summary>
/// <c>sluice-agent uninstall</c>: the one way Sluice's files leave a node (an agent stopping keeps
/// them, so a restart or an upgrade opens no gap). On this node, once or (<c>--keep-running</c>, as
/// the DaemonSet's pods run it during a Helm uninstall) until SIGTERM; or on every node of a
/// DaemonSet (<c>--daemonset</c>, the pre-delete hook Job).
/// </summary>
internal static class UninstallCommand
{
    public static int Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter errors)
    {
        ParseResult line;
        AgentSettings settings;
        try
        {
            line = UninstallOptions.Command.Parse(arguments, environment);
            if (line.HelpRequested)
            {
                output.Write(UninstallOptions.Command.Help());
                return 0;
            }

            settings = AgentSettings.From(line);
        }
        catch (CommandLineException error)
        {
            errors.WriteLine($"{AgentProgram.Name} uninstall: {Sluice.Cni.Logging.LogText.Escape(error.Message)}");
            return 2;
        }

        var log = new AgentLog(errors, settings.LogLevel);
        if (line.Get(UninstallOptions.DaemonSet) is { Length: > 0 } daemonSet)
        {
            return AllNodes(settings, line, daemonSet, log);
        }

        return line.Get(UninstallOptions.KeepRunning) ? KeepRunning(settings, log) : Once(settings, log);
    }

    private static int Once(AgentSettings settings, AgentLog log)
    {
        var problems = new NodeUninstaller(settings, log).Run(runState: true);
        foreach (var problem in problems)
        {
            log.Error(problem);
        }

        log.Info(problems.Count == 0 ? "uninstalled: nothing of Sluice's is left on this node" : "uninstall incomplete; run it again once the problems above are fixed");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>Uninstalls every <see cref="AgentHost.Resync"/> (an older agent still stopping may write once more) and reports ready once a pass finds nothing left.</summary>
    private static int KeepRunning(AgentSettings settings, AgentLog log)
    {
        using var stop = new StopSignal();
        var uninstaller = new NodeUninstaller(settings, log);
        IReadOnlyList<string> problems = ["not uninstalled yet"];
        HealthServer? health;
        try
        {
            health = settings.HealthPort == 0 ? null : HealthServer.OnAllAddresses(
                settings.HealthPort,
                () => Volatile.Read(ref problems) is { Count: 0 } ? (true, null) : (false, "uninstall: " + string.Join("; ", Volatile.Read(ref problems))),
                () => AgentMetrics.Render(new AgentCounters(), Volatile.Read(ref problems).Count == 0));
        }
        catch (System.Net.Sockets.SocketException error)
        {
            log.Error($"cannot serve health endpoints on port {settings.HealthPort} (HEALTH_PORT): {error.SocketErrorCode}");
            return 1;
        }

        using (health)
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            while (!stop.Token.IsCancellationRequested)
            {
                var found = uninstaller.Run(runState: true);
                foreach (var problem in found.Where(p => !reported.Contains(p)))
                {
                    log.Error(problem);
                }

                if (found.Count == 0 && Volatile.Read(ref problems).Count > 0)
                {
                    log.Info("uninstalled: nothing of Sluice's is left on this node; waiting for the DaemonSet to be deleted");
                }

                reported = new HashSet<string>(found, StringComparer.Ordinal);
                Volatile.Write(ref problems, found);
                stop.Token.WaitHandle.WaitOne(AgentHost.Resync);
            }
        }

        return 0;
    }

    private static int AllNodes(AgentSettings settings, ParseResult line, string daemonSet, AgentLog log)
    {
        if (line.Get(UninstallOptions.Namespace) is not { Length: > 0 } ns)
        {
            log.Error($"--daemonset {daemonSet} needs its namespace (--namespace or POD_NAMESPACE)");
            return 2;
        }

        try
        {
            using var client = new KubeClient(settings.Kubeconfig is { } path ? KubeConfig.Load(path) : KubeConfig.InCluster());
            using var stop = new StopSignal();
            var done = new DaemonSetUninstall(client, ns, daemonSet, log).RunAsync(line.Get(UninstallOptions.Timeout), stop.Token).GetAwaiter().GetResult();
            return done ? 0 : 1;
        }
        catch (Exception error) when (error is KubeApiException or KubeConfigException)
        {
            log.Error($"uninstalling on every node of daemonset {ns}/{daemonSet}: {error.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            log.Error($"uninstalling on every node of daemonset {ns}/{daemonSet}: stopped before every node finished");
            return 1;
        }
    }
}

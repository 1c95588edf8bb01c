using Sluice.Agent.Capture;
using Sluice.Agent.Install;
using Sluice.Agent.Network;
using Sluice.Agent.Settings;
using Sluice.Linux.Files;
using Sluice.Redirect;

namespace Sluice.Agent.Uninstall;

/// <summary>
/// Removes what the agent installed on this node, in the order that keeps new pods safe: the
/// configuration entry (or Sluice's own file) first, so no new pod calls a plugin that is about to
/// go; then, in primary-network mode, the routes to other nodes' pods; then the plugins'
/// kubeconfig and the binaries; on an uninstall (not at a stop with KEEP_ON_EXIT=false, after which
/// the next agent still needs them) also the state the agent and sluice-redirect keep in the run
/// directory. Idempotent: what is already gone is no problem, so it runs as often as asked
/// (<c>sluice-agent uninstall</c>, or an agent stopping with KEEP_ON_EXIT=false).
/// </summary>
public sealed class NodeUninstaller(AgentSettings settings, AgentLog log)
{
    /// <summary>
    /// One pass; returns the problems (none: everything is gone). <paramref name="chainedInto"/> is
    /// the file a running agent chained into, when it knows it; <paramref name="runState"/> also
    /// removes <see cref="RunStateNames"/> from the run directory.
    /// </summary>
    public IReadOnlyList<string> Run(string? chainedInto = null, bool runState = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        Step("CNI configuration", problems, () => RemoveConf(chainedInto));
        if (settings.PrimaryNetwork)
        {
            Step("routes to other nodes' pods", problems, () => Removed(NodeRouteTable.RemoveAll(), "routes to other nodes' pods"));
            Step("VXLAN devices", problems, () =>
            {
                foreach (var device in VxlanOverlay.RemoveAll())
                {
                    log.Info($"removed VXLAN device {device}");
                }
            });
        }

        Step($"kubeconfig {settings.PluginKubeconfig}", problems, () => Removed(PluginKubeconfig.Remove(settings.PluginKubeconfig) ? 1 : 0, settings.PluginKubeconfig));
        Step("binaries", problems, () =>
        {
            foreach (var path in new BinaryInstaller(settings.SourceDir, settings.CniBinDirs).Uninstall())
            {
                log.Info($"removed {path}");
            }
        });
        if (runState)
        {
            Step($"run state in {settings.RunDir}", problems, RemoveRunState);
        }

        return problems;
    }

    /// <summary>
    /// What only the agent and sluice-redirect use in the run directory: the reconciler's pod list
    /// (and a temporary copy a killed agent left) and the plugin's sandbox records. The sockets go
    /// with the servers that made them; the directory itself may be shared (a hostPath).
    /// </summary>
    public IEnumerable<string> RunStateNames() =>
        ConfinedRemoval.NamesStartingWith(settings.RunDir, DurableFile.TempPrefix(PodSnapshot.FileName))
            .Prepend(SandboxRecords.DirectoryName)
            .Prepend(PodSnapshot.FileName);

    private void RemoveRunState()
    {
        foreach (var name in RunStateNames())
        {
            var count = ConfinedRemoval.Remove(settings.RunDir, name);
            if (count > 0)
            {
                log.Info(count == 1 ? $"removed {Path.Combine(settings.RunDir, name)}" : $"removed {Path.Combine(settings.RunDir, name)} ({count - 1} entries in it)");
            }
        }
    }

    private void RemoveConf(string? chainedInto)
    {
        if (settings.OwnedConflist)
        {
            foreach (var file in new OwnedConfInstaller(settings.CniConfDir, settings.CniConfFileName, settings.OwnedConflistName, PluginEntry.For(settings)).Uninstall())
            {
                log.Info(File.Exists(file) ? $"removed sluice-redirect from {file}" : $"removed {file}");
            }

            return;
        }

        if (settings.Chained && !settings.PrimaryNetwork)
        {
            var installer = new CniConfInstaller(settings.CniConfDir, settings.CniConfFileName, PluginEntry.For(settings));
            if (installer.Uninstall(chainedInto) is { } file)
            {
                log.Info($"removed sluice-redirect from {file}");
            }

            return;
        }

        var own = new OwnConfInstaller(settings.CniConfDir, settings.OwnConfFileName);
        if (own.Uninstall())
        {
            log.Info($"removed {own.Path}");
        }
    }

    private void Removed(int count, string what)
    {
        if (count > 0)
        {
            log.Info(count == 1 ? $"removed {what}" : $"removed {count} {what}");
        }
    }

    private static void Step(string what, List<string> problems, Action step)
    {
        try
        {
            step();
        }
        catch (Exception error) when (AgentHost.IsNodeProblem(error))
        {
            problems.Add($"{what}: {AgentHost.Describe(error)}");
        }
    }
}

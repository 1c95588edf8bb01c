using Sluice.Agent.Install;
using Sluice.Agent.Network;
using Sluice.Agent.Settings;
using Sluice.Agent.Uninstall;
using Sluice.Kube.Config;
using Sluice.Linux.Files;

namespace Sluice.Agent;

/// <summary>
/// The install loop: put the binaries, the plugins' kubeconfig and our configuration entry in
/// place, then wake on every change in the watched directories (and every
/// <see cref="Resync"/> regardless) and put back whatever another component removed or
/// rewrote. On stop everything stays in place for the next agent (a restart or an upgrade opens
/// no gap), unless KEEP_ON_EXIT=false; <c>sluice-agent uninstall</c> removes it.
/// </summary>
public sealed partial class AgentHost
{
    /// <summary>A pass even without events: directories that appear later, tokens on file systems without inotify.</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(2);

    private readonly AgentSettings _settings;
    private readonly AgentLog _log;
    private readonly BinaryInstaller _binaries;
    private readonly PluginKubeconfig _kubeconfig;
    private readonly CniConfInstaller? _chainedInto;
    private readonly OwnedConfInstaller? _owned;
    private readonly OwnConfInstaller? _own;
    private readonly System.Text.Json.Nodes.JsonObject _entry;
    private readonly NodeWatcher? _nodes;
    private readonly RewriteFightDetector _fight = new(TimeSpan.FromMinutes(1), threshold: 5);
    private ConfState _lastConf = ConfState.Waiting;
    private bool _ready;
    private bool _installedOnce;
    private HashSet<string> _reported = new(StringComparer.Ordinal);
    private HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <param name="nodes">The cluster's nodes, in primary-network mode (required then, else null).</param>
    /// <param name="pluginTokens">The plugins' own service account's tokens (PLUGIN_SERVICE_ACCOUNT); null: the plugins get the agent's credential.</param>
    public AgentHost(AgentSettings settings, AgentLog log, Func<KubeConfig> agentKubeconfig, NodeWatcher? nodes = null, PluginTokens? pluginTokens = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _log = log;
        _binaries = new BinaryInstaller(settings.SourceDir, settings.CniBinDirs);
        _kubeconfig = new PluginKubeconfig(settings.PluginKubeconfig, agentKubeconfig, pluginTokens is null ? null : pluginTokens.Current);
        _entry = PluginEntry.For(settings);
        if (settings.OwnedConflist)
        {
            _owned = new OwnedConfInstaller(settings.CniConfDir, settings.CniConfFileName, settings.OwnedConflistName, _entry);
        }
        else if (settings.Chained && !settings.PrimaryNetwork)
        {
            _chainedInto = new CniConfInstaller(settings.CniConfDir, settings.CniConfFileName, _entry);
        }
        else
        {
            _own = new OwnConfInstaller(settings.CniConfDir, settings.OwnConfFileName);
        }

        _nodes = settings.PrimaryNetwork ? nodes ?? throw new ArgumentException("primary-network mode needs the node watcher", nameof(nodes)) : null;
    }

    /// <summary>True while binaries, kubeconfig and configuration entry are all in place.</summary>
    public bool Ready { get => Volatile.Read(ref _ready); private set => Volatile.Write(ref _ready, value); }

    /// <summary>Why the agent is not ready (null when it is).</summary>
    public string? NotReadyBecause { get; private set; } = "not reconciled yet";

    /// <summary>Counts of what the loop did, for /metrics.</summary>
    public AgentCounters Counters { get; } = new();

    /// <summary>One pass over everything; never throws for a problem on the node (it is logged and makes the agent unready).</summary>
    public void Reconcile()
    {
        var problems = new List<string>();
        Step($"binaries into {string.Join(", ", _settings.CniBinDirs)}", problems, () =>
        {
            foreach (var path in _binaries.Reconcile())
            {
                _log.Info($"installed {path}");
                Counters.CountInstall();
            }
        });
        Step($"kubeconfig {_kubeconfig.Path}", problems, () =>
        {
            if (_kubeconfig.Reconcile())
            {
                _log.Info($"wrote the plugins' kubeconfig {_kubeconfig.Path}");
                Counters.CountInstall();
            }
        });
        var warnings = new List<string>();
        Step($"CNI configuration in {_settings.CniConfDir}", problems, () => ReconcileConf(problems, warnings));
        if (_nodes is not null)
        {
            Step("IP forwarding", problems, EnsureForwarding);
            Step("the pod network's FORWARD and masquerade rules", problems, EnsureFirewall);
            Step("routes to other nodes' pods", problems, () => ReconcileRoutes(_nodes, problems, warnings));
            WarnOnce(warnings);
        }

        if (problems.Count == 0 && _reported.Count > 0)
        {
            _log.Info("recovered: binaries, kubeconfig and configuration entry are in place");
        }

        _reported = new HashSet<string>(problems, StringComparer.Ordinal);
        Ready = problems.Count == 0;
        NotReadyBecause = Ready ? null : string.Join("; ", problems);
    }

    /// <summary>Runs until <paramref name="stop"/>; then uninstalls unless <see cref="AgentSettings.KeepOnExit"/>.</summary>
    public void Run(CancellationToken stop)
    {
        using var watcher = new DirectoryWatcher();
        using var routeChanges = new RouteChangeListener();
        var nodesSeen = -1L;
        var watched = _settings.CniBinDirs.Append(_settings.CniConfDir).Append(_settings.RunDir).Distinct(StringComparer.Ordinal).ToList();
        while (!stop.IsCancellationRequested)
        {
            foreach (var directory in watched)
            {
                if (!Directory.Exists(directory))
                {
                    watcher.Forget(directory);
                }

                watcher.Watch(directory);
            }

            nodesSeen = _nodes?.Version ?? 0;
            Reconcile();
            if (Routes is not null)
            {
                // Opened once the routes are first in place: the thousands of notifications of
                // writing them would only fill its queue.
                routeChanges.Open();
            }

            var nextResync = DateTime.UtcNow + Resync;
            while (!stop.IsCancellationRequested && DateTime.UtcNow < nextResync && (_nodes?.Version ?? 0) == nodesSeen)
            {
                if (routeChanges.DeletedSinceLastLook())
                {
                    // One of our routes was deleted (by hand, by another program): put back at once.
                    _routeCheckDue = true;
                    break;
                }

                if (watcher.Wait(TimeSpan.FromMilliseconds(200)))
                {
                    // A writer that truncates, then writes, wakes us twice; let it finish (up to 100 ms of quiet-waiting).
                    for (var i = 0; i < 5 && watcher.Wait(TimeSpan.FromMilliseconds(20)); i++)
                    {
                    }

                    break;
                }
            }
        }

        if (_settings.KeepOnExit)
        {
            _log.Info("stopping; binaries, kubeconfig and configuration entry stay in place for the next agent (uninstall with 'sluice-agent uninstall')");
            return;
        }

        _log.Info("stopping with KEEP_ON_EXIT=false: removing what was installed");
        Uninstall();
    }

    /// <summary>Removes what was installed (see <see cref="NodeUninstaller"/>); returns the problems, which are logged.</summary>
    public IReadOnlyList<string> Uninstall()
    {
        var problems = new NodeUninstaller(_settings, _log).Run(_chainedInto?.InstalledIn);
        _log.Info(problems.Count == 0 ? "uninstalled" : $"uninstalled with problems: {string.Join("; ", problems)}");
        return problems;
    }

    private void ReconcileConf(List<string> problems, List<string> warnings)
    {
        var outcome = _owned?.Reconcile() ?? (_own is null ? _chainedInto!.Reconcile() : ReconcileOwnConf(problems, warnings));
        switch (outcome.State)
        {
            case ConfState.Updated:
                // What our own file should hold changed (pod CIDRs, pod MTU): no one else's doing.
                Counters.CountInstall();
                _log.Info(outcome.Detail);
                break;
            case ConfState.Written when _owned is not null:
                // The primary's file changed (or the copy was tampered with): a new copy, no fight.
                Counters.CountInstall();
                _log.Info(outcome.Detail);
                break;
            case ConfState.Kept when _lastConf != ConfState.Kept:
                _log.Warn(outcome.Detail);
                break;
            case ConfState.Written when _installedOnce:
                Counters.CountReinstall();
                _log.Warn(_own is null ? $"{outcome.Path} had lost sluice-redirect; {outcome.Detail}" : outcome.Detail);
                if (_fight.Record(DateTime.UtcNow) is { } count)
                {
                    _log.Warn(
                        $"{outcome.Path} was rewritten without sluice-redirect {count} times in the last minute: another component keeps " +
                        "rewriting it (usually a second chained installer such as istio-cni's install-cni, or the primary plugin's own agent). " +
                        "Run one chained installer per node, or set CNI_CONF_FILE_NAME to the file the other component owns.");
                }

                break;
            case ConfState.Written:
                Counters.CountInstall();
                _log.Info(outcome.Detail);
                break;
            case ConfState.Invalid:
                Report(problems, outcome.Detail);
                break;
            case ConfState.Waiting:
                problems.Add(outcome.Detail);
                if (_lastConf != ConfState.Waiting)
                {
                    _log.Info(outcome.Detail);
                }

                break;
            default:
                break;
        }

        _lastConf = outcome.State;
        _installedOnce |= outcome.State is ConfState.Written or ConfState.Updated or ConfState.InPlace or ConfState.Kept;
    }

    private void Step(string what, List<string> problems, Action step)
    {
        try
        {
            step();
        }
        catch (Exception error) when (IsNodeProblem(error))
        {
            Counters.CountReconcileError();
            var text = $"{what}: {Describe(error)}";
            Report(problems, text);
        }
    }

    /// <summary>Logs a problem the first time a pass meets it (every 2 s would flood the log), and keeps it for readiness.</summary>
    private void Report(List<string> problems, string text)
    {
        problems.Add(text);
        if (!_reported.Contains(text))
        {
            _log.Error(text);
        }
    }

    /// <summary>A failure caused by the node's state (files, permissions, the kernel, credentials): reported and retried, never fatal.</summary>
    internal static bool IsNodeProblem(Exception error) =>
        error is IOException or UnauthorizedAccessException or KubeConfigException or Sluice.Linux.LinuxException or Sluice.Linux.Iptables.IptablesException or Sluice.Cni.CniException;

    /// <summary>A node problem in words (errno names instead of .NET's messages).</summary>
    internal static string Describe(Exception error) => error switch
    {
        UnauthorizedAccessException => "permission denied (read-only file system or no access)",
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        IOException io when (io.HResult & 0xffff) == 28 => "no space left on device",
        IOException io when (io.HResult & 0xffff) == 30 => "read-only file system",
        IOException io => $"I/O error (errno {io.HResult & 0xffff})",
        _ => error.Message,
    };
}

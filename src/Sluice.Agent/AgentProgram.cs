using System.Collections;
using Sluice.Agent.Pods;
using Sluice.Agent.Settings;
using Sluice.CommandLine;
using Sluice.Kube.Config;

namespace Sluice.Agent;

/// <summary>sluice-agent: settings from flags and environment, then the install loop until SIGTERM.</summary>
public static class AgentProgram
{
    public const string Name = "sluice-agent";

    public static int Main(string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments is ["uninstall", ..])
        {
            return Uninstall.UninstallCommand.Run(arguments[1..], EnvironmentVariables(), Console.Out, Console.Error);
        }

        if (arguments is ["status", ..])
        {
            return Status.StatusCommand.Run(arguments[1..], EnvironmentVariables(), Console.Out, Console.Error, terminal: !Console.IsOutputRedirected);
        }

        AgentSettings? settings;
        Sluice.Redirect.RedirectSettings plugin;
        try
        {
            settings = AgentSettings.Parse(arguments, EnvironmentVariables(), Console.Out);
            if (settings is null)
            {
                return 0;
            }

            plugin = Capture.PluginEntrySettings.For(settings);
        }
        catch (CommandLineException error)
        {
            Console.Error.WriteLine($"{Name}: {Sluice.Cni.Logging.LogText.Escape(error.Message)}");
            return 2;
        }

        // Before any part of the agent enters a pod's namespace (the capture reconciler does at once).
        Sluice.Linux.Namespaces.RuntimeThreads.StartInCurrentNamespace();
        var log = new AgentLog(Console.Error, settings.LogLevel);
        using var stop = new StopSignal();
        KubeConfig AgentKubeconfig() => settings.Kubeconfig is { } path ? KubeConfig.Load(path) : KubeConfig.InCluster();
        using var nodeClient = settings.PrimaryNetwork ? Client(AgentKubeconfig, log, "primary-network mode needs the API server's node list") : null;
        if (settings.PrimaryNetwork && nodeClient is null)
        {
            return 1;
        }

        var nodes = nodeClient is null ? null : new Network.NodeWatcher(nodeClient, log);
        // The token request runs on the install loop's pass: one attempt of at most 2 s, so an
        // unreachable API server delays the pass (every PluginTokens.RetryAfter) by no more than that.
        using var tokenClient = settings.PluginServiceAccount is null ? null : Client(AgentKubeconfig, log, "the plugins get no kubeconfig without a token for PLUGIN_SERVICE_ACCOUNT", TokenRequestOptions);
        if (settings.PluginServiceAccount is not null && tokenClient is null)
        {
            return 1;
        }

        var pluginTokens = settings.PluginServiceAccount is { } account
            ? new Install.PluginTokens(tokenClient!, account.Namespace, account.Name, TimeProvider.System, log)
            : null;
        var host = new AgentHost(settings, log, AgentKubeconfig, nodes, pluginTokens);
        var watching = nodes is null ? Task.CompletedTask : Task.Run(() => nodes.RunAsync(stop.Token));
        using var capture = Capture.CaptureReconcilerSetup.Create(settings, plugin, AgentKubeconfig, host.Counters.Capture, log);
        using var lookups = PodLookups.Start(settings, AgentKubeconfig, log, stop.Token, capture, host.Counters.Lookups);
        capture?.Start();
        if (capture is not null && lookups is null)
        {
            log.Warn("without the pod list, no pod's capture is checked nor repaired");
        }

        var pluginErrors = new Status.RecentPluginErrors();
        using var pluginLogs = StartPluginLogs(settings, log, host.Counters.Plugins, pluginErrors);
        using var status = Status.LiveStatusSource.Serve(settings, host, lookups?.Cache, capture, pluginErrors, log);
        Health.HealthServer? health = null;
        try
        {
            health = settings.HealthPort == 0 ? null : Health.HealthServer.OnAllAddresses(
                settings.HealthPort,
                () => (host.Ready, host.NotReadyBecause),
                () => Health.AgentMetrics.Render(host.Counters, host.Ready));
        }
        catch (System.Net.Sockets.SocketException error)
        {
            log.Error($"cannot serve health endpoints on port {settings.HealthPort} (HEALTH_PORT): {error.SocketErrorCode}");
            return 1;
        }

        using var healthServer = health;
        using var taintClient = settings.RemoveReadinessTaint ? Client(AgentKubeconfig, log, $"the taint {settings.ReadinessTaintKey} stays on node {settings.NodeName}") : null;
        var untainting = taintClient is null
            ? Task.CompletedTask
            : Task.Run(() => new Nodes.ReadinessTaint(taintClient, settings.NodeName!, settings.ReadinessTaintKey, log).RunAsync(() => host.Ready, stop.Token));
        log.Info($"starting: binaries from {settings.SourceDir} to {string.Join(", ", settings.CniBinDirs)}, configuration in {settings.CniConfDir}, run dir {settings.RunDir}");
        host.Run(stop.Token);
        Task.WhenAll(watching, untainting).ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(2));
        return 0;
    }

    /// <summary>The plugins' log socket; without it the plugins keep logging to their own files.</summary>
    private static Plugins.PluginLogServer? StartPluginLogs(AgentSettings settings, AgentLog log, Plugins.PluginCallMetrics metrics, Status.RecentPluginErrors errors)
    {
        try
        {
            var server = new Plugins.PluginLogServer(settings.LogSocket, log, metrics, errors);
            log.Info($"receiving the plugins' logs on {server.Path}");
            return server;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            log.Warn($"the plugins keep their logs to themselves: cannot listen on {settings.LogSocket} ({error.GetType().Name})");
            return null;
        }
    }

    /// <summary>A client for the agent's own work with nodes; null (after logging <paramref name="without"/> and why) when the agent's kubeconfig cannot be read.</summary>
    private static readonly Sluice.Kube.Client.KubeClientOptions TokenRequestOptions = new() { RequestTimeout = TimeSpan.FromSeconds(2), TotalTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 1 };

    private static Sluice.Kube.Client.KubeClient? Client(Func<KubeConfig> kubeconfig, AgentLog log, string without, Sluice.Kube.Client.KubeClientOptions? options = null)
    {
        try
        {
            return new Sluice.Kube.Client.KubeClient(kubeconfig(), options);
        }
        catch (KubeConfigException error)
        {
            log.Error($"{without}: {error.Message}");
            return null;
        }
    }

    private static Dictionary<string, string> EnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return variables;
    }
}

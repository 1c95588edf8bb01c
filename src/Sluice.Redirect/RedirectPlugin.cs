using Sluice.Capture.Policy;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Kube.Config;
using Sluice.Linux;
using Sluice.Linux.Iptables;

namespace Sluice.Redirect;

/// <summary>
/// sluice-redirect: a chained plugin that, for mesh-enabled pods, installs traffic capture in the
/// pod's netns before any of its containers start. <c>sluice-redirect explain …</c> shows the
/// decision for a pod without touching anything.
/// </summary>
public static class RedirectPlugin
{
    public const string Name = "sluice-redirect";

    public static CniPlugin<RedirectConfig, RedirectSettings> Definition { get; } = Define(PodSource);

    public static int Main(string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments is ["explain", ..]
            ? RedirectExplain.Run(arguments[1..], Console.Out, Console.Error)
            : CniDispatcher.Run(Definition, CniIo.ForProcess());
    }

    /// <summary>The agent's cache when it runs on the node, else the API server directly.</summary>
    internal static IPodSource PodSource(RedirectSettings settings, Sluice.Cni.Logging.CniLog log) =>
        settings.AgentSocket is { } socket ? new AgentPodSource(socket, new ApiServerPodSource(settings), log) : new ApiServerPodSource(settings);

    internal static CniPlugin<RedirectConfig, RedirectSettings> Define(Func<RedirectSettings, Sluice.Cni.Logging.CniLog, IPodSource> podSource) => new()
    {
        Name = Name,
        Config = RedirectConfig.Shape,
        Settings = (config, _) => RedirectSettings.From(config),
        TranslateException = Translate,
        Add = request => new RedirectAdd(request, settings => podSource(settings, request.Log)).Run(),
        Del = request => new RedirectDel(request).Run(),
        Check = request => new RedirectCheck(request, settings => podSource(settings, request.Log)).Run(),
        Status = request => Status(request.Settings),
        Gc = _ => { },
    };

    /// <summary>
    /// Ready when the kubeconfig it will need for the next lookup the agent cannot answer is there
    /// and readable. Its content is sluice-kube's to read (and to report on, naming the line):
    /// sluice-redirect carries no YAML parser.
    /// </summary>
    private static void Status(RedirectSettings settings)
    {
        if (Linux.Files.RegularFile.KindIfNotRegular(settings.Kubeconfig) is { } kind)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"sluice-redirect cannot reach the Kubernetes API: kubeconfig {settings.Kubeconfig} is {kind}, not a file");
        }

        try
        {
            KubeConfig.CheckReadable(settings.Kubeconfig);
        }
        catch (Exception error) when (error is KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"sluice-redirect cannot reach the Kubernetes API: {error.Message}");
        }
    }

    private static CniException? Translate(Exception error) => error switch
    {
        LinuxException kernel => new CniException(SluiceErrorCode.KernelRejected, kernel.Message),
        IptablesException iptables => new CniException(SluiceErrorCode.FirewallFailed, iptables.Message),
        Capture.CaptureInstallException install => new CniException(SluiceErrorCode.FirewallFailed, install.Message),
        PolicyException policy => new CniException(SluiceErrorCode.InvalidPodSettings, policy.Message),
        _ => null,
    };
}

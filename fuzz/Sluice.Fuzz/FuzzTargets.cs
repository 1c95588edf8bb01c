using System.Text;
using System.Text.Json;
using Sluice.Bridge;
using Sluice.Capture.Policy;
using Sluice.CaptureTool;
using Sluice.Cni;
using Sluice.Cni.Json;
using Sluice.Cni.Results;
using Sluice.Ipam.Config;
using Sluice.IpamPlugin;
using Sluice.Kube.Config;
using Sluice.Kube.Models;
using Sluice.Redirect;

namespace Sluice.Fuzz;

/// <summary>The targets: each plugin's configuration (shape and settings), prevResult, CNI_ARGS, the kubeconfig, the pod JSON, pod annotations and sluice-iptables' command line.</summary>
public static class FuzzTargets
{
    // Lazy: instrumented code may only run inside the fuzzer's loop (its coverage map exists from
    // then on), so nothing of Sluice's is touched while the targets are listed or looked up.
    private static readonly Lazy<CniEnvironment> AddEnv = new(() => new CniEnvironment
    {
        Command = CniCommand.Add,
        ContainerId = "fuzz",
        NetNs = "/var/run/netns/fuzz",
        IfName = "eth0",
        Args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web"),
    });

    private static readonly Lazy<RedirectSettings> Istio = new(() =>
        RedirectSettings.Read("""{"cniVersion":"1.1.0","name":"n","type":"sluice-redirect","profile":"istio"}"""u8.ToArray(), "fuzz settings"));

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("bridge-config", "sluice-bridge's configuration: shape, settings and the in-process IPAM section", bytes =>
            BridgeSettings.From(CniJson.Read(bytes, BridgeConfig.Shape, "network configuration"), AddEnv.Value), IsCniError),
        new("ipam-config", "sluice-ipam's configuration: shape and settings", bytes =>
            IpamSettings.Load(CniJson.Read(bytes, IpamPluginConfig.Shape, "network configuration")), IsCniError),
        new("redirect-config", "sluice-redirect's configuration: shape, settings and the capture policy", bytes =>
            RedirectSettings.Read(bytes, "network configuration"), IsCniError),
        new("prev-result", "a result as prevResult: read, validated, converted to every version and written", PrevResult, IsCniError),
        new("cni-args", "CNI_ARGS: parsed and its keys checked", bytes =>
            CniArgs.Parse(Encoding.UTF8.GetString(bytes)).RequireKnownKeys(CniArgs.KubernetesKeys), IsCniError),
        new("kubeconfig", "a kubeconfig through KubeConfig.Parse, the public load-from-text entry point", bytes =>
            KubeConfig.Parse(Encoding.UTF8.GetString(bytes), "/nonexistent/fuzz/kubeconfig"),
            error => error is KubeConfigException or IOException or UnauthorizedAccessException),
        new("pod-json", "a Pod as the API server or sluice-agent sends it (PodJson.Read)", bytes =>
            PodFacts.From(PodJson.Read(bytes), "shop", "web"), error => error is JsonException or Sluice.Json.JsonFieldException),
        new("annotations", "pod annotations (KEY=VALUE lines) turned into an istio capture policy and compiled", Annotations, error => error is PolicyException),
        new("iptables-cli", "sluice-iptables' command line (NUL-separated arguments) turned into a policy and rendered", CommandLine,
            error => error is PolicyException or UsageException),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static bool IsCniError(Exception error) => error is CniException { Code: not CniErrorCode.Internal };

    private static void PrevResult(byte[] bytes)
    {
        var result = CniResult.Read(bytes, "prevResult");
        ResultValidation.Validate(result, "prevResult");
        foreach (var version in CniVersions.Supported)
        {
            ResultConversion.ToVersion(result, version).WriteTo(new System.Buffers.ArrayBufferWriter<byte>());
        }
    }

    private static void Annotations(byte[] bytes)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["sidecar.istio.io/status"] = "{}" };
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                annotations[line[..equals]] = line[(equals + 1)..];
            }
        }

        var facts = new PodFacts
        {
            Namespace = "shop",
            Name = "web",
            Annotations = annotations,
            Containers = [new ContainerFacts { Name = CaptureDecider.IstioProxy }, new ContainerFacts { Name = "app" }],
        };
        if (CaptureDecider.Decide(Istio.Value, facts).Policy is { } policy)
        {
            Render(policy);
        }
    }

    private static void CommandLine(byte[] bytes)
    {
        var arguments = Encoding.UTF8.GetString(bytes).Split('\0');
        Render(SluiceIptables.ParsePolicy(arguments));
    }

    private static void Render(CapturePolicy policy)
    {
        Capture.CaptureEngine.Render(policy, Capture.CaptureBackendKind.Nftables);
        Capture.CaptureEngine.Render(policy, Capture.CaptureBackendKind.Iptables);
    }
}

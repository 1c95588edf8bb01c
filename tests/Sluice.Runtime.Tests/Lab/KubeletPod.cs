using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Deploy.Tests;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// What kubelet asks the CRI for when it starts the rendered chart's DaemonSet pod on a node: the
/// PodSandboxConfig and the agent container's ContainerConfig, translated field by field as
/// kubelet's kuberuntime does (hostNetwork to the node's network namespace, env with its
/// fieldRefs and configMapKeyRefs resolved, every volume mount, the service account's files,
/// resources, the security context). A field this does not translate fails the test, naming it,
/// so that no change to the chart goes past what this lab runs.
/// </summary>
internal sealed partial class KubeletPod
{
    /// <summary>Where kubelet mounts a pod's service account token, CA and namespace.</summary>
    public const string ServiceAccountMount = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Pod spec fields that are the scheduler's or the API server's, not the node's.</summary>
    private static readonly string[] SchedulingFields = ["priorityClassName", "nodeSelector", "tolerations", "affinity", "imagePullSecrets", "serviceAccountName"];

    private static readonly string[] TranslatedPodFields = ["containers", "volumes", "hostNetwork", "hostPID", "hostIPC", "terminationGracePeriodSeconds", "automountServiceAccountToken"];

    private readonly RenderedChart _chart;
    private readonly JsonElement _spec;
    private readonly JsonElement _container;

    public KubeletPod(RenderedChart chart, string nodeName)
    {
        _chart = chart;
        _spec = chart.PodSpec;
        _container = chart.AgentContainer;
        NodeName = nodeName;
        Unknown("the pod spec", _spec, [.. SchedulingFields, .. TranslatedPodFields]);
        Unknown("the container", _container, [.. TranslatedContainerFields]);
    }

    public string NodeName { get; }

    public string Namespace => _chart.DaemonSet.GetProperty("metadata").GetProperty("namespace").GetString()!;

    public string Name => $"{_chart.DaemonSet.GetProperty("metadata").GetProperty("name").GetString()}-{NodeName}";

    public string ContainerName => _container.GetProperty("name").GetString()!;

    public string Image => _container.GetProperty("image").GetString()!;

    public bool HostNetwork => Flag(_spec, "hostNetwork");

    public TimeSpan TerminationGracePeriod =>
        TimeSpan.FromSeconds(_spec.TryGetProperty("terminationGracePeriodSeconds", out var seconds) ? seconds.GetInt32() : 30);

    /// <summary>Volume name → host path, for every volume (each must be a hostPath).</summary>
    public IReadOnlyDictionary<string, string> HostPaths =>
        _spec.GetProperty("volumes").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, HostPathOf);

    /// <summary>The readiness probe's HTTP path and port (a named port resolved from the container's ports).</summary>
    public (string Path, int Port) ReadinessProbe => HttpProbe("readinessProbe");

    public (string Path, int Port) LivenessProbe => HttpProbe("livenessProbe");

    /// <summary>PodSandboxConfig: the template's metadata, the node's network when hostNetwork, privileged when a container is.</summary>
    public JsonObject SandboxConfig(string logDirectory, string cgroupParent)
    {
        var template = _chart.DaemonSet.GetProperty("spec").GetProperty("template").GetProperty("metadata");
        var config = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace, ["uid"] = Guid.NewGuid().ToString(), ["attempt"] = 0 },
            ["log_directory"] = logDirectory,
            ["labels"] = StringMap(template, "labels"),
            ["annotations"] = StringMap(template, "annotations"),
            ["linux"] = new JsonObject
            {
                ["cgroup_parent"] = cgroupParent,
                ["security_context"] = new JsonObject { ["namespace_options"] = NamespaceOptions(), ["privileged"] = Privileged },
            },
        };
        if (!HostNetwork)
        {
            // A host-network pod keeps the node's hostname (and its UTS namespace): kubelet sets none.
            config["hostname"] = Name;
        }

        return config;
    }

    private static void Unknown(string what, JsonElement element, string[] known)
    {
        var unknown = element.EnumerateObject().Select(p => p.Name).Where(name => !known.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"{what} of the rendered chart has {string.Join(", ", unknown)}, which KubeletPod does not translate yet: teach it, so the DaemonSet test runs what the chart says");
    }

    private static bool Flag(JsonElement owner, string name) => owner.TryGetProperty(name, out var value) && value.GetBoolean();

    private static JsonObject StringMap(JsonElement owner, string name)
    {
        var map = new JsonObject();
        if (owner.TryGetProperty(name, out var values))
        {
            foreach (var entry in values.EnumerateObject())
            {
                map[entry.Name] = entry.Value.GetString();
            }
        }

        return map;
    }

    private static string HostPathOf(JsonElement volume)
    {
        var kinds = volume.EnumerateObject().Select(p => p.Name).Where(name => name != "name").ToList();
        Assert.True(kinds is ["hostPath"], $"volume {volume.GetProperty("name")} is {string.Join(", ", kinds)}: KubeletPod translates hostPath volumes only");
        return volume.GetProperty("hostPath").GetProperty("path").GetString()!;
    }

    /// <summary>CRI NamespaceMode: POD, CONTAINER (a PID namespace of its own, kubelet's default) or NODE.</summary>
    private JsonObject NamespaceOptions() => new()
    {
        ["network"] = HostNetwork ? "NODE" : "POD",
        ["pid"] = Flag(_spec, "hostPID") ? "NODE" : "CONTAINER",
        ["ipc"] = Flag(_spec, "hostIPC") ? "NODE" : "POD",
    };

    private (string Path, int Port) HttpProbe(string probe)
    {
        var http = _container.GetProperty(probe).GetProperty("httpGet");
        var port = http.GetProperty("port");
        var number = port.ValueKind == JsonValueKind.Number
            ? port.GetInt32()
            : _container.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == port.GetString()).GetProperty("containerPort").GetInt32();
        return (http.GetProperty("path").GetString()!, number);
    }
}

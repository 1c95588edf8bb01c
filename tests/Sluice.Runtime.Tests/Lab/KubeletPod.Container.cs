using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>The agent container's ContainerConfig, as kubelet builds it from the pod template.</summary>
internal sealed partial class KubeletPod
{
    private const long CpuPeriod = 100_000;

    private static readonly (string Suffix, decimal Factor)[] QuantitySuffixes =
        [("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m)];

    /// <summary>Container fields translated below; the probes are the test's to run, ports need nothing on the host network.</summary>
    private static readonly string[] TranslatedContainerFields =
        ["name", "image", "imagePullPolicy", "command", "args", "workingDir", "env", "ports", "livenessProbe", "readinessProbe", "securityContext", "resources", "volumeMounts"];

    public bool Privileged => _container.TryGetProperty("securityContext", out var context) && Flag(context, "privileged");

    /// <summary>The container's environment as kubelet resolves it, with the API server's service variables (which kubelet adds to every container).</summary>
    public IReadOnlyDictionary<string, string> Environment(string apiHost, int apiPort)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_container.TryGetProperty("env", out var list))
        {
            foreach (var variable in list.EnumerateArray())
            {
                var name = variable.GetProperty("name").GetString()!;
                env[name] = variable.TryGetProperty("value", out var value) ? Literal(name, value.GetString()!) : ValueFrom(name, variable.GetProperty("valueFrom"));
            }
        }

        env["KUBERNETES_SERVICE_HOST"] = apiHost;
        env["KUBERNETES_SERVICE_PORT"] = apiPort.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>ContainerConfig for CreateContainer; <paramref name="serviceAccountDirectory"/> holds token, ca.crt and namespace.</summary>
    public JsonObject ContainerConfig(string apiHost, int apiPort, string serviceAccountDirectory)
    {
        var config = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ContainerName, ["attempt"] = 0 },
            ["image"] = new JsonObject { ["image"] = Image },
            ["envs"] = new JsonArray([.. Environment(apiHost, apiPort).Select(e => new JsonObject { ["key"] = e.Key, ["value"] = e.Value })]),
            ["mounts"] = Mounts(serviceAccountDirectory),
            ["labels"] = new JsonObject { ["io.kubernetes.container.name"] = ContainerName },
            ["log_path"] = $"{ContainerName}/0.log",
            ["linux"] = new JsonObject { ["resources"] = Resources(), ["security_context"] = SecurityContext() },
        };
        foreach (var (field, criField) in new[] { ("command", "command"), ("args", "args") })
        {
            if (_container.TryGetProperty(field, out var words))
            {
                config[criField] = new JsonArray([.. words.EnumerateArray().Select(w => JsonValue.Create(Literal(field, w.GetString()!)))]);
            }
        }

        if (_container.TryGetProperty("workingDir", out var workingDir))
        {
            config["working_dir"] = workingDir.GetString();
        }

        return config;
    }

    /// <summary>Kubelet expands $(VAR) references; the chart uses none, and this lab does not expand them.</summary>
    private static string Literal(string where, string text)
    {
        Assert.False(text.Contains("$(", StringComparison.Ordinal), $"{where}: '{text}' refers to a variable, which KubeletPod does not expand yet");
        return text;
    }

    private string ValueFrom(string name, JsonElement source)
    {
        if (source.TryGetProperty("fieldRef", out var field))
        {
            return field.GetProperty("fieldPath").GetString() switch
            {
                "spec.nodeName" => NodeName,
                "metadata.name" => Name,
                "metadata.namespace" => Namespace,
                var path => throw new InvalidOperationException($"env {name}: fieldRef {path} is not translated by KubeletPod"),
            };
        }

        if (source.TryGetProperty("configMapKeyRef", out var reference))
        {
            var configMap = _chart.Documents.Single(d => d.GetProperty("kind").GetString() == "ConfigMap" &&
                d.GetProperty("metadata").GetProperty("name").GetString() == reference.GetProperty("name").GetString());
            return configMap.GetProperty("data").GetProperty(reference.GetProperty("key").GetString()!).GetString()!;
        }

        throw new InvalidOperationException($"env {name}: valueFrom {source} is not translated by KubeletPod");
    }

    private JsonArray Mounts(string serviceAccountDirectory)
    {
        var mounts = new JsonArray();
        var hostPaths = HostPaths;
        foreach (var mount in _container.GetProperty("volumeMounts").EnumerateArray())
        {
            Unknown($"volume mount {mount.GetProperty("name")}", mount, ["name", "mountPath", "readOnly", "mountPropagation"]);
            mounts.Add(new JsonObject
            {
                ["container_path"] = mount.GetProperty("mountPath").GetString(),
                ["host_path"] = hostPaths[mount.GetProperty("name").GetString()!],
                ["readonly"] = Flag(mount, "readOnly"),
                ["propagation"] = (mount.TryGetProperty("mountPropagation", out var propagation) ? propagation.GetString() : "None") switch
                {
                    "None" => "PROPAGATION_PRIVATE",
                    "HostToContainer" => "PROPAGATION_HOST_TO_CONTAINER",
                    "Bidirectional" => "PROPAGATION_BIDIRECTIONAL",
                    var other => throw new InvalidOperationException($"mountPropagation {other}"),
                },
            });
        }

        if (!_spec.TryGetProperty("automountServiceAccountToken", out var automount) || automount.GetBoolean())
        {
            mounts.Add(new JsonObject { ["container_path"] = ServiceAccountMount, ["host_path"] = serviceAccountDirectory, ["readonly"] = true });
        }

        return mounts;
    }

    /// <summary>LinuxContainerResources as kubelet computes them: CPU shares from the request, quota from the limit, the memory limit.</summary>
    private JsonObject Resources()
    {
        var resources = new JsonObject();
        if (!_container.TryGetProperty("resources", out var spec))
        {
            return resources;
        }

        if (Quantity(spec, "requests", "cpu") is { } cpuRequest)
        {
            resources["cpu_shares"] = Math.Max(2, (long)(cpuRequest * 1024));
        }

        if (Quantity(spec, "limits", "cpu") is { } cpuLimit)
        {
            resources["cpu_period"] = CpuPeriod;
            resources["cpu_quota"] = (long)(cpuLimit * CpuPeriod);
        }

        if (Quantity(spec, "limits", "memory") is { } memory)
        {
            resources["memory_limit_in_bytes"] = (long)memory;
        }

        return resources;
    }

    private JsonObject SecurityContext()
    {
        var context = new JsonObject { ["namespace_options"] = NamespaceOptions(), ["privileged"] = Privileged };
        if (!_container.TryGetProperty("securityContext", out var spec))
        {
            return context;
        }

        Unknown("the container's securityContext", spec, ["privileged", "capabilities", "runAsUser", "runAsGroup", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "appArmorProfile"]);
        if (spec.TryGetProperty("appArmorProfile", out var appArmor))
        {
            // containerd 1.6's CRI takes the profile by name (kubelet sends "unconfined" for type Unconfined).
            var type = appArmor.GetProperty("type").GetString();
            Assert.True(type == "Unconfined", $"appArmorProfile type {type}: KubeletPod translates Unconfined only");
            context["apparmor_profile"] = "unconfined";
        }

        if (spec.TryGetProperty("capabilities", out var capabilities))
        {
            context["capabilities"] = new JsonObject
            {
                ["add_capabilities"] = new JsonArray([.. Words(capabilities, "add")]),
                ["drop_capabilities"] = new JsonArray([.. Words(capabilities, "drop")]),
            };
        }

        foreach (var (field, criField) in new[] { ("runAsUser", "run_as_user"), ("runAsGroup", "run_as_group") })
        {
            if (spec.TryGetProperty(field, out var id))
            {
                context[criField] = new JsonObject { ["value"] = id.GetInt64() };
            }
        }

        context["readonly_rootfs"] = Flag(spec, "readOnlyRootFilesystem");
        context["no_new_privs"] = spec.TryGetProperty("allowPrivilegeEscalation", out var escalation) && !escalation.GetBoolean();
        return context;
    }

    private static IEnumerable<JsonNode?> Words(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var words) ? words.EnumerateArray().Select(w => JsonValue.Create(w.GetString())) : [];

    /// <summary>A resource quantity (<c>10m</c>, <c>40Mi</c>, <c>1</c>, <c>2G</c>) as a number of cores or bytes.</summary>
    private static decimal? Quantity(JsonElement resources, string group, string name)
    {
        if (!resources.TryGetProperty(group, out var values) || !values.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!;
        foreach (var (suffix, factor) in QuantitySuffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return decimal.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }
}

namespace Sluice.Deploy.Tests;

/// <summary>The chart with its default values: what `helm install sluice deploy/helm/sluice -n kube-system` creates.</summary>
public sealed class ChartDefaultsTests
{
    private readonly RenderedChart _chart = ChartRenderer.Render();

    [Fact]
    public void Render_Defaults_CreatesServiceAccountConfigMapRbacAndDaemonSetNamedAfterTheRelease()
    {
        Assert.Equal(
            [
                ("ServiceAccount", "sluice-plugin"), ("ServiceAccount", "sluice"), ("ConfigMap", "sluice"), ("ClusterRole", "sluice"), ("ClusterRole", "sluice-plugin"),
                ("ClusterRoleBinding", "sluice"), ("ClusterRoleBinding", "sluice-plugin"), ("Role", "sluice-plugin-tokens"), ("RoleBinding", "sluice-plugin-tokens"), ("DaemonSet", "sluice"),
            ],
            _chart.KindsAndNames);
        foreach (var (kind, name) in new[] { ("ServiceAccount", "sluice"), ("ServiceAccount", "sluice-plugin"), ("ConfigMap", "sluice"), ("Role", "sluice-plugin-tokens"), ("DaemonSet", "sluice") })
        {
            Assert.Equal(ChartRenderer.Namespace, _chart.Single(kind, name).GetProperty("metadata").GetProperty("namespace").GetString());
        }
    }

    [Fact]
    public void Render_Defaults_ClusterRoleBindingGivesTheClusterRoleToTheServiceAccount()
    {
        var binding = _chart.Single("ClusterRoleBinding", "sluice");
        Assert.Equal("ClusterRole", binding.GetProperty("roleRef").GetProperty("kind").GetString());
        Assert.Equal("sluice", binding.GetProperty("roleRef").GetProperty("name").GetString());
        var subject = Assert.Single(binding.GetProperty("subjects").EnumerateArray());
        Assert.Equal("ServiceAccount", subject.GetProperty("kind").GetString());
        Assert.Equal("sluice", subject.GetProperty("name").GetString());
        Assert.Equal(ChartRenderer.Namespace, subject.GetProperty("namespace").GetString());
        Assert.Equal("sluice", _chart.PodSpec.GetProperty("serviceAccountName").GetString());
    }

    [Fact]
    public void Render_Defaults_ClusterRoleReadsPodsAndCreatesEvents_WithoutNodesNorPodWrites()
    {
        Assert.Equal(["/pods: get,list,watch", "/events: create"], _chart.ClusterRoleRules);
    }

    [Fact]
    public void Render_Defaults_PluginsAccountMayOnlyGetPods_AndTheAgentMayOnlyRequestItsTokens()
    {
        Assert.Equal(["/pods: get"], RenderedChart.Rules(_chart.Single("ClusterRole", "sluice-plugin")));
        Assert.Equal(["/serviceaccounts/token: create [sluice-plugin]"], RenderedChart.Rules(_chart.Single("Role", "sluice-plugin-tokens")));
        var binding = _chart.Single("RoleBinding", "sluice-plugin-tokens");
        Assert.Equal("sluice", binding.GetProperty("subjects")[0].GetProperty("name").GetString());
        Assert.False(_chart.Single("ServiceAccount", "sluice-plugin").GetProperty("automountServiceAccountToken").GetBoolean());
        Assert.Equal($"{ChartRenderer.Namespace}/sluice-plugin", _chart.Env["PLUGIN_SERVICE_ACCOUNT"]);
    }

    [Fact]
    public void Render_WithoutPluginServiceAccount_HasNoPluginAccountAndNoSetting()
    {
        var chart = ChartRenderer.Render(sets: ["pluginServiceAccount.enabled=false"]);

        Assert.DoesNotContain(chart.KindsAndNames, k => k.Name.StartsWith("sluice-plugin", StringComparison.Ordinal));
        Assert.False(chart.Env.ContainsKey("PLUGIN_SERVICE_ACCOUNT"));
    }

    [Fact]
    public void Render_Defaults_AgentRunsOnTheHostNetworkSeeingTheHostsProcesses()
    {
        Assert.True(_chart.PodSpec.GetProperty("hostNetwork").GetBoolean());
        Assert.True(_chart.PodSpec.GetProperty("hostPID").GetBoolean());
    }

    [Fact]
    public void Render_Defaults_AgentIsNotPrivileged_HoldsOnlyItsCapabilities_OnAReadOnlyRoot()
    {
        var context = _chart.AgentContainer.GetProperty("securityContext");

        Assert.False(context.GetProperty("privileged").GetBoolean());
        Assert.True(context.GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.Equal(["ALL"], Words(context.GetProperty("capabilities"), "drop"));
        Assert.Equal(["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"], Words(context.GetProperty("capabilities"), "add"));
        Assert.Equal("Unconfined", context.GetProperty("appArmorProfile").GetProperty("type").GetString());
    }

    [Fact]
    public void Render_WithoutProcessSearch_AgentHasNoPtraceNorAppArmorException()
    {
        var context = ChartRenderer.Render(sets: ["repair.searchProcesses=false"]).AgentContainer.GetProperty("securityContext");

        Assert.Equal(["NET_ADMIN", "SYS_ADMIN"], Words(context.GetProperty("capabilities"), "add"));
        Assert.False(context.TryGetProperty("appArmorProfile", out _));
    }

    [Fact]
    public void Render_AgentPrivileged_IsAPrivilegedContainerWithNothingElse()
    {
        var context = ChartRenderer.Render(sets: ["agent.privileged=true"]).AgentContainer.GetProperty("securityContext");

        Assert.Equal(["privileged"], context.EnumerateObject().Select(p => p.Name));
        Assert.True(context.GetProperty("privileged").GetBoolean());
    }

    private static string[] Words(System.Text.Json.JsonElement owner, string name) =>
        [.. owner.GetProperty(name).EnumerateArray().Select(w => w.GetString() ?? "")];

    [Fact]
    public void Render_Defaults_MountsCniBinCniConfTheRunDirAndTheNetnsDirAtTheirOwnPaths()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["cni-bin"] = "/opt/cni/bin", ["cni-conf"] = "/etc/cni/net.d", ["run"] = "/var/run/sluice", ["netns-0"] = "/var/run/netns" },
            _chart.HostPaths);
        Assert.Equal(
            new Dictionary<string, string> { ["cni-bin"] = "/host/opt/cni/bin", ["cni-conf"] = "/host/etc/cni/net.d", ["run"] = "/var/run/sluice", ["netns-0"] = "/var/run/netns" },
            _chart.Mounts);
    }

    [Fact]
    public void Render_Defaults_TheNetnsDirIsMountedReadOnlyWithHostToContainerPropagation()
    {
        var mount = _chart.AgentContainer.GetProperty("volumeMounts").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "netns-0");
        Assert.Equal("HostToContainer", mount.GetProperty("mountPropagation").GetString());
        Assert.True(mount.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public void Render_Defaults_LivenessOnHealthzAndReadinessOnReadyzAtTheHealthPort()
    {
        var container = _chart.AgentContainer;
        var port = Assert.Single(container.GetProperty("ports").EnumerateArray());
        Assert.Equal("health", port.GetProperty("name").GetString());
        Assert.Equal(9870, port.GetProperty("containerPort").GetInt32());
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/readyz", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("health", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.Equal("health", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());
    }

    [Fact]
    public void Render_Defaults_ToleratesEveryTaintAsSystemNodeCriticalOnLinuxNodes()
    {
        var toleration = Assert.Single(_chart.PodSpec.GetProperty("tolerations").EnumerateArray());
        Assert.Equal([("operator", "Exists")], toleration.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.Equal("system-node-critical", _chart.PodSpec.GetProperty("priorityClassName").GetString());
        Assert.Equal("linux", _chart.PodSpec.GetProperty("nodeSelector").GetProperty("kubernetes.io/os").GetString());
    }

    [Fact]
    public void Render_Defaults_ImageIsHubSluiceAtTheChartsAppVersion()
    {
        Assert.Equal("localhost:5000/sluice:0.1.0", _chart.AgentContainer.GetProperty("image").GetString());
        Assert.Equal("IfNotPresent", _chart.AgentContainer.GetProperty("imagePullPolicy").GetString());
    }

    [Fact]
    public void Render_Defaults_EnvSetsTheAgentsSettingsForTheMountedDirectories()
    {
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["CNI_BIN_DIR"] = "/host/opt/cni/bin",
                ["CNI_CONF_DIR"] = "/host/etc/cni/net.d",
                ["RUN_DIR"] = "/var/run/sluice",
                ["NODE_NAME"] = null,
                ["HEALTH_PORT"] = "9870",
                ["PROFILE"] = "generic",
                ["EXCLUDE_NAMESPACES"] = "kube-system",
                ["PLUGIN_CONFIG"] = null,
                ["CHAINED"] = "true",
                ["OWNED_CONFLIST"] = "false",
                ["PRIMARY_NETWORK"] = "false",
                ["KEEP_ON_EXIT"] = "true",
                ["REMOVE_READINESS_TAINT"] = "false",
                ["LOG_LEVEL"] = "info",
                ["REPAIR_MODE"] = "repair",
                ["CAPTURE_CHECK_PERIOD"] = "10",
                ["VALIDATION_CONTAINERS"] = "sluice-validation,istio-validation",
                ["NETNS_DIRS"] = "/var/run/netns",
                ["PLUGIN_SERVICE_ACCOUNT"] = "kube-system/sluice-plugin",
            },
            _chart.Env);
    }

    [Fact]
    public void Render_Defaults_NodeNameFromTheDownwardApiAndPluginConfigFromTheConfigMap()
    {
        var env = _chart.AgentContainer.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("spec.nodeName", env["NODE_NAME"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        var configMap = env["PLUGIN_CONFIG"].GetProperty("valueFrom").GetProperty("configMapKeyRef");
        Assert.Equal("sluice", configMap.GetProperty("name").GetString());
        Assert.Equal("plugin-config.json", configMap.GetProperty("key").GetString());
    }

    [Fact]
    public void Render_Defaults_PluginEntryUsesTheAgentsKubeconfigAndSocket()
    {
        var entry = _chart.PluginEntry;
        Assert.Equal("sluice-redirect", entry.GetProperty("type").GetString());
        Assert.Equal("generic", entry.GetProperty("profile").GetString());
        Assert.Equal("auto", entry.GetProperty("backend").GetString());
        Assert.Equal("fail", entry.GetProperty("failurePolicy").GetString());
        Assert.Equal("auto", entry.GetProperty("runtimeLoopback").GetString());
        Assert.Equal("warn", entry.GetProperty("logLevel").GetString());
        var kubernetes = entry.GetProperty("kubernetes");
        Assert.Equal("/var/run/sluice/sluice-kubeconfig", kubernetes.GetProperty("kubeconfig").GetString());
        Assert.Equal("/var/run/sluice/pods.sock", kubernetes.GetProperty("agentSocket").GetString());
        Assert.Equal(["kube-system"], kubernetes.GetProperty("excludeNamespaces").EnumerateArray().Select(n => n.GetString()));
        Assert.False(entry.TryGetProperty("capture", out _));
        Assert.False(entry.TryGetProperty("selector", out _));
    }

    [Fact]
    public void Render_Defaults_RollingUpdateOneNodeAtATime()
    {
        var strategy = _chart.DaemonSet.GetProperty("spec").GetProperty("updateStrategy");
        Assert.Equal("RollingUpdate", strategy.GetProperty("type").GetString());
        Assert.Equal(1, strategy.GetProperty("rollingUpdate").GetProperty("maxUnavailable").GetInt32());
    }

    [Fact]
    public void Render_Defaults_PodTemplateCarriesTheSelectorLabels()
    {
        var labels = _chart.DaemonSet.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");
        Assert.Equal("sluice-agent", labels.GetProperty("app.kubernetes.io/name").GetString());
        var selector = _chart.DaemonSet.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels");
        foreach (var label in selector.EnumerateObject())
        {
            Assert.Equal(label.Value.GetString(), labels.GetProperty(label.Name).GetString());
        }
    }
}

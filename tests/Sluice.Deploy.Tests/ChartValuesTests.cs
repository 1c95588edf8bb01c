namespace Sluice.Deploy.Tests;

/// <summary>Non-default values end up where the agent and the plugins read them.</summary>
public sealed class ChartValuesTests
{
    [Fact]
    public void Render_ChainedFalse_TellsTheAgentToWriteItsOwnConfiguration()
    {
        Assert.Equal("false", ChartRenderer.Render(sets: "chained=false").Env["CHAINED"]);
    }

    [Fact]
    public void Render_CustomCniDirs_HostPathsFollowWhileTheAgentsPathsStay()
    {
        var chart = ChartRenderer.Render("""
            cniBinDir: /var/lib/rancher/k3s/data/current/bin
            cniConfDir: /var/lib/rancher/k3s/agent/etc/cni/net.d
            cniConfFileName: 10-flannel.conflist
            """);

        Assert.Equal("/var/lib/rancher/k3s/data/current/bin", chart.HostPaths["cni-bin"]);
        Assert.Equal("/var/lib/rancher/k3s/agent/etc/cni/net.d", chart.HostPaths["cni-conf"]);
        Assert.Equal("/host/opt/cni/bin", chart.Mounts["cni-bin"]);
        Assert.Equal("/host/etc/cni/net.d", chart.Env["CNI_CONF_DIR"]);
        Assert.Equal("10-flannel.conflist", chart.Env["CNI_CONF_FILE_NAME"]);
    }

    [Theory]
    [InlineData("label", "/pods: patch")]
    [InlineData("delete", "/pods: delete")]
    public void Render_RepairModeLabelOrDelete_GrantsThatPodWriteOnly(string mode, string grant)
    {
        var chart = ChartRenderer.Render(sets: $"repair.mode={mode}");

        Assert.Equal(mode, chart.Env["REPAIR_MODE"]);
        Assert.Equal(["/pods: get,list,watch", "/events: create", grant], chart.ClusterRoleRules);
    }

    [Fact]
    public void Render_RepairModeOff_GrantsNoPodWrite() =>
        Assert.Equal(["/pods: get,list,watch", "/events: create"], ChartRenderer.Render(sets: "repair.mode=off").ClusterRoleRules);

    [Fact]
    public void Render_RepairSettings_ReachTheAgentAndTheMounts()
    {
        var chart = ChartRenderer.Render("""
            repair:
              mode: repair
              checkPeriodSeconds: 30
              validationContainers: [check-mesh]
              netnsDirs: [/run/netns, /var/run/crio/ns]
              searchProcesses: false
            """);

        Assert.Equal("30", chart.Env["CAPTURE_CHECK_PERIOD"]);
        Assert.Equal("check-mesh", chart.Env["VALIDATION_CONTAINERS"]);
        Assert.Equal("/run/netns,/var/run/crio/ns", chart.Env["NETNS_DIRS"]);
        Assert.Equal("/var/run/crio/ns", chart.HostPaths["netns-1"]);
        Assert.Equal("/var/run/crio/ns", chart.Mounts["netns-1"]);
        Assert.False(chart.PodSpec.TryGetProperty("hostPID", out _));
    }

    [Fact]
    public void Render_NoCniConfFileName_LeavesTheChoiceToTheAgent()
    {
        Assert.False(ChartRenderer.Render().Env.ContainsKey("CNI_CONF_FILE_NAME"));
    }

    [Fact]
    public void Render_IstioProfile_EntryAndEnvSayIstioAndExcludeItsNamespaces()
    {
        var chart = ChartRenderer.Render(sets: "profile=istio,excludeNamespaces={istio-system,kube-system}");

        Assert.Equal("istio", chart.Env["PROFILE"]);
        Assert.Equal("istio-system,kube-system", chart.Env["EXCLUDE_NAMESPACES"]);
        Assert.Equal("istio", chart.PluginEntry.GetProperty("profile").GetString());
        Assert.Equal(
            ["istio-system", "kube-system"],
            chart.PluginEntry.GetProperty("kubernetes").GetProperty("excludeNamespaces").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public void Render_CustomTolerations_ReplaceTheCatchAll()
    {
        var chart = ChartRenderer.Render("""
            tolerations:
              - key: dedicated
                operator: Equal
                value: mesh
                effect: NoSchedule
            """);

        var toleration = Assert.Single(chart.PodSpec.GetProperty("tolerations").EnumerateArray());
        Assert.Equal("dedicated", toleration.GetProperty("key").GetString());
        Assert.Equal("NoSchedule", toleration.GetProperty("effect").GetString());
    }

    [Fact]
    public void Render_CaptureBackendAndSelector_GoIntoThePluginEntry()
    {
        var entry = ChartRenderer.Render("""
            backend: iptables
            failurePolicy: ignore
            runtimeLoopback: before-chain
            capture:
              outboundExcludeCidrs: ["169.254.169.254/32"]
              inboundMode: TPROXY
              outboundPort: 15001
            selector:
              labels:
                mesh: enabled
            """).PluginEntry;

        Assert.Equal("iptables", entry.GetProperty("backend").GetString());
        Assert.Equal("ignore", entry.GetProperty("failurePolicy").GetString());
        Assert.Equal("before-chain", entry.GetProperty("runtimeLoopback").GetString());
        Assert.Equal("TPROXY", entry.GetProperty("capture").GetProperty("inboundMode").GetString());
        Assert.Equal(15001, entry.GetProperty("capture").GetProperty("outboundPort").GetInt32());
        Assert.Equal("169.254.169.254/32", entry.GetProperty("capture").GetProperty("outboundExcludeCidrs")[0].GetString());
        Assert.Equal("enabled", entry.GetProperty("selector").GetProperty("labels").GetProperty("mesh").GetString());
    }

    [Theory]
    [InlineData("debug", "debug")]
    [InlineData("info", "warn")]
    [InlineData("error", "error")]
    public void Render_LogLevel_AgentAtTheLevelPluginsAtItsPluginLevel(string level, string pluginLevel)
    {
        var chart = ChartRenderer.Render(sets: $"logLevel={level}");

        Assert.Equal(level, chart.Env["LOG_LEVEL"]);
        Assert.Equal(pluginLevel, chart.PluginEntry.GetProperty("logLevel").GetString());
    }

    [Fact]
    public void Render_HubTagAndPullPolicy_MakeTheImage()
    {
        var container = ChartRenderer.Render(sets: "hub=registry.internal:5000/net,tag=1.2.3,pullPolicy=Always").AgentContainer;

        Assert.Equal("registry.internal:5000/net/sluice:1.2.3", container.GetProperty("image").GetString());
        Assert.Equal("Always", container.GetProperty("imagePullPolicy").GetString());
    }

    [Fact]
    public void Render_HealthPort_EnvAndContainerPortFollow()
    {
        var chart = ChartRenderer.Render(sets: "agent.healthPort=19870");

        Assert.Equal("19870", chart.Env["HEALTH_PORT"]);
        Assert.Equal(19870, Assert.Single(chart.AgentContainer.GetProperty("ports").EnumerateArray()).GetProperty("containerPort").GetInt32());
    }

    [Fact]
    public void Render_RunDir_MountedAtTheSamePathAndNamedInThePluginEntry()
    {
        var chart = ChartRenderer.Render(sets: "agent.runDir=/run/sluice");

        Assert.Equal("/run/sluice", chart.HostPaths["run"]);
        Assert.Equal("/run/sluice", chart.Mounts["run"]);
        Assert.Equal("/run/sluice", chart.Env["RUN_DIR"]);
        Assert.Equal("/run/sluice/pods.sock", chart.PluginEntry.GetProperty("kubernetes").GetProperty("agentSocket").GetString());
    }

    [Fact]
    public void Render_KeepOnExit_ReachesTheAgent()
    {
        Assert.Equal("true", ChartRenderer.Render(sets: "agent.keepOnExit=true").Env["KEEP_ON_EXIT"]);
    }

    [Fact]
    public void Render_PluginEntryChanged_PodTemplateChecksumChangesSoAgentsRoll()
    {
        static string Checksum(RenderedChart chart) => chart.DaemonSet.GetProperty("spec").GetProperty("template")
            .GetProperty("metadata").GetProperty("annotations").GetProperty("checksum/plugin-config").GetString()!;

        Assert.NotEqual(Checksum(ChartRenderer.Render()), Checksum(ChartRenderer.Render(sets: "profile=msm")));
        Assert.Equal(Checksum(ChartRenderer.Render()), Checksum(ChartRenderer.Render(sets: "tag=other")));
    }
}

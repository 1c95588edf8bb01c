using Sluice.Agent.Capture;
using Sluice.Agent.Network;
using Sluice.Agent.Settings;
using Sluice.CommandLine;

namespace Sluice.Agent.Tests;

public sealed class AgentSettingsTests
{
    private static AgentSettings Parse(string[] arguments, Dictionary<string, string>? environment = null) =>
        AgentSettings.Parse(arguments, environment ?? [], TextWriter.Null)!;

    [Fact]
    public void Parse_NothingSet_GivesTheDaemonSetLayout()
    {
        var settings = Parse([]);

        Assert.Equal(["/host/opt/cni/bin"], settings.CniBinDirs);
        Assert.Equal("/host/etc/cni/net.d", settings.CniConfDir);
        Assert.Null(settings.CniConfFileName);
        Assert.Equal("/var/run/sluice/sluice-kubeconfig", settings.PluginKubeconfig);
        Assert.Equal(9870, settings.HealthPort);
        Assert.True(settings.KeepOnExit);
    }

    [Fact]
    public void Parse_FlagAndEnvironmentVariable_FlagWinsWithSpaceOrEqualsSpelling()
    {
        var env = new Dictionary<string, string> { ["CNI_CONF_DIR"] = "/etc/cni/net.d", ["HEALTH_PORT"] = "8000", ["KEEP_ON_EXIT"] = "true" };

        var settings = Parse(["--health-port", "9000", "--cni-bin-dir=/opt/cni/bin,/usr/libexec/cni"], env);

        Assert.Equal("/etc/cni/net.d", settings.CniConfDir);
        Assert.Equal(9000, settings.HealthPort);
        Assert.True(settings.KeepOnExit);
        Assert.Equal(["/opt/cni/bin", "/usr/libexec/cni"], settings.CniBinDirs);
    }

    [Fact]
    public void CaptureSettings_Default_RepairEveryTenSecondsWithIstiosValidationContainerAndTheRuntimesNetnsDirs()
    {
        var settings = Parse([]);

        Assert.Equal(RepairMode.Repair, settings.RepairMode);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.CaptureCheckPeriod);
        Assert.Equal(["sluice-validation", "istio-validation"], settings.ValidationContainers);
        Assert.Equal(["/var/run/netns", "/run/netns"], settings.NetnsDirs);
        Assert.Equal("/proc", settings.ProcDir);
    }

    [Fact]
    public void CaptureSettings_FromTheEnvironment_AreRead()
    {
        var settings = Parse([], new Dictionary<string, string> { ["REPAIR_MODE"] = "Delete", ["CAPTURE_CHECK_PERIOD"] = "3", ["VALIDATION_CONTAINERS"] = "check" });

        Assert.Equal(RepairMode.Delete, settings.RepairMode);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.CaptureCheckPeriod);
        Assert.Equal(["check"], settings.ValidationContainers);
    }

    [Theory]
    [InlineData("REPAIR_MODE", "fix", "REPAIR_MODE: 'fix' is not a repair mode (repair, label, delete or off)")]
    [InlineData("CAPTURE_CHECK_PERIOD", "0", "CAPTURE_CHECK_PERIOD: '0' is not a number of seconds (1-3600)")]
    [InlineData("CAPTURE_CHECK_PERIOD", "10s", "CAPTURE_CHECK_PERIOD: '10s' is not a number of seconds")]
    [InlineData("NETNS_DIRS", "netns", "NETNS_DIRS: 'netns' is not a list of absolute paths")]
    [InlineData("PROC_DIR", "proc", "PROC_DIR: 'proc' is not an absolute path")]
    [InlineData("PLUGIN_SERVICE_ACCOUNT", "sluice-plugin", "PLUGIN_SERVICE_ACCOUNT: 'sluice-plugin' is not NAMESPACE/NAME")]
    [InlineData("PLUGIN_SERVICE_ACCOUNT", "kube-system/Sluice", "PLUGIN_SERVICE_ACCOUNT: 'kube-system/Sluice' is not NAMESPACE/NAME")]
    [InlineData("PLUGIN_SERVICE_ACCOUNT", "kube-system/a/b", "PLUGIN_SERVICE_ACCOUNT: 'kube-system/a/b' is not NAMESPACE/NAME")]
    public void CaptureSettings_BadValue_NamesTheSetting(string variable, string value, string expected)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse([], new Dictionary<string, string> { [variable] = value }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KEEP_ON_EXIT", "yes", "KEEP_ON_EXIT: 'yes' is not a boolean")]
    [InlineData("HEALTH_PORT", "70000", "HEALTH_PORT: '70000' is not a port")]
    [InlineData("CNI_CONF_DIR", "etc/cni", "CNI_CONF_DIR: 'etc/cni' is not an absolute path")]
    [InlineData("CNI_BIN_DIR", "/opt/cni/bin,bin", "CNI_BIN_DIR: '/opt/cni/bin,bin' is not a list of absolute paths")]
    [InlineData("LOG_LEVEL", "loud", "LOG_LEVEL: 'loud' is not a log level")]
    [InlineData("PROFILE", "linkerd", "PROFILE: 'linkerd' is not a profile")]
    [InlineData("PLUGIN_CONFIG", "[1]", "PLUGIN_CONFIG: '[1]' is not a JSON object")]
    public void Parse_BadEnvironmentValue_FailsNamingTheVariableAndTheValue(string variable, string value, string expected)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse([], new Dictionary<string, string> { [variable] = value }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadFlagValue_FailsNamingTheFlagAndTheValue()
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(["--keep-on-exit", "maybe"]));

        Assert.StartsWith("--keep-on-exit: 'maybe' is not a boolean", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--chainsaw", "unknown option '--chainsaw'")]
    [InlineData("--node-name", "--node-name needs a value")]
    public void Parse_UnknownOptionOrFlagWithoutValue_IsRefused(string argument, string expected)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse([argument]));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Help_ListsEveryFlagAndVariableAndGivesNoSettings()
    {
        var output = new StringWriter();

        Assert.Null(AgentSettings.Parse(["--help"], new Dictionary<string, string>(), output));
        Assert.NotEmpty(AgentOptions.Command.Options);
        foreach (var option in AgentOptions.Command.Options)
        {
            Assert.Contains(option.Flag, output.ToString(), StringComparison.Ordinal);
            Assert.Contains(option.Variable!, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PluginEntry_WithoutPluginConfig_PointsThePluginAtTheAgentsKubeconfigAndSockets()
    {
        var entry = PluginEntry.For(Parse(["--profile", "msm", "--node-name", "node-a", "--exclude-namespaces", "kube-system,istio-system"]));

        Assert.Equal("""{"type":"sluice-redirect","profile":"msm","kubernetes":{"kubeconfig":"/var/run/sluice/sluice-kubeconfig","agentSocket":"/var/run/sluice/pods.sock","excludeNamespaces":["kube-system","istio-system"],"nodeName":"node-a"},"logLevel":"warn","logSocket":"/var/run/sluice/log.sock"}""", entry.ToJsonString());
    }

    [Fact]
    public void PluginEntry_PluginConfigOfAnotherType_IsRefusedNamingSluiceRedirect()
    {
        var settings = Parse(["--plugin-config", """{"type":"portmap"}"""]);

        var error = Assert.Throws<CommandLineException>(() => PluginEntry.For(settings));
        Assert.Contains("sluice-redirect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PrimaryNetwork_ReadsTheClusterCidrsAndNamesAFileThatSortsFirst()
    {
        var settings = Parse([], new Dictionary<string, string> { ["PRIMARY_NETWORK"] = "true", ["CLUSTER_CIDR"] = "10.244.0.0/16, fd00:10:244::/56", ["NODE_NAME"] = "node-a" });

        Assert.True(settings.PrimaryNetwork);
        Assert.True(settings.Chained);
        Assert.Equal([System.Net.IPNetwork.Parse("10.244.0.0/16"), System.Net.IPNetwork.Parse("fd00:10:244::/56")], settings.ClusterCidrs);
        Assert.Equal("05-sluice.conflist", settings.OwnConfFileName);
        Assert.Equal("/var/lib/cni/networks", settings.IpamDataDir);
    }

    [Fact]
    public void Parse_NotChained_NamesAFileThatSortsLastUnlessOneIsGiven()
    {
        Assert.Equal("zz-sluice-redirect.conflist", Parse(["--chained", "false"]).OwnConfFileName);
        Assert.Equal("80-mesh.conflist", Parse(["--chained", "false", "--cni-conf-file-name", "80-mesh.conflist"]).OwnConfFileName);
    }

    [Theory]
    [InlineData("", "node-a", "CLUSTER_CIDR: the cluster's pod network is required with PRIMARY_NETWORK=true")]
    [InlineData("10.244.0.0/16", "", "NODE_NAME: this node's name is required with PRIMARY_NETWORK=true")]
    public void Parse_PrimaryNetworkWithoutClusterCidrOrNodeName_FailsNamingTheMissingSetting(string cidr, string node, string expected)
    {
        var env = new Dictionary<string, string> { ["PRIMARY_NETWORK"] = "true", ["CLUSTER_CIDR"] = cidr, ["NODE_NAME"] = node };

        var error = Assert.Throws<CommandLineException>(() => Parse([], env));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.244.0.0", "'10.244.0.0' is not a network address with a prefix length")]
    [InlineData("10.244.0.0/16,10.244.1.7/24", "'10.244.1.7/24' is not a network address with a prefix length")]
    [InlineData("pods", "'pods' is not a network address")]
    public void Parse_MalformedClusterCidr_FailsNamingTheFlagAndTheBadItem(string value, string expected)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", value]));

        Assert.StartsWith($"--cluster-cidr: '{value}' is not a list of CIDRs", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClusterCidrWithoutPrimaryNetwork_IsRefused()
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(["--cluster-cidr", "10.244.0.0/16"]));

        Assert.Equal("--cluster-cidr: only used with PRIMARY_NETWORK=true", error.Message);
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("576", 576)]
    [InlineData("1450", 1450)]
    [InlineData("65535", 65535)]
    public void Parse_PodMtu_ZeroDerivesAnythingElseIsTaken(string value, int? expected)
    {
        var env = new Dictionary<string, string> { ["PRIMARY_NETWORK"] = "true", ["CLUSTER_CIDR"] = "10.244.0.0/16", ["NODE_NAME"] = "node-a", ["POD_MTU"] = value };

        Assert.Equal(expected, Parse([], env).PodMtu);
    }

    [Fact]
    public void Parse_PodMtuUnset_IsDerived()
    {
        Assert.Null(Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", "10.244.0.0/16"]).PodMtu);
    }

    [Theory]
    [InlineData("575")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("1500 bytes")]
    public void Parse_PodMtuOutOfRange_FailsNamingTheSetting(string value)
    {
        var env = new Dictionary<string, string> { ["PRIMARY_NETWORK"] = "true", ["CLUSTER_CIDR"] = "10.244.0.0/16", ["NODE_NAME"] = "node-a", ["POD_MTU"] = value };

        var error = Assert.Throws<CommandLineException>(() => Parse([], env));

        Assert.Equal($"POD_MTU: '{value}' is not an MTU (576-65535, or 0 to derive it from the node's link)", error.Message);
    }

    [Fact]
    public void Parse_PodMtuBelow1280WithAnIpv6ClusterCidr_FailsNamingBothSettings()
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", "10.244.0.0/16,fd00:10:244::/56", "--pod-mtu", "1200"]));

        Assert.Equal("--pod-mtu: 1200 is below 1280, the smallest MTU IPv6 allows, and the cluster's pod network has IPv6 (--cluster-cidr)", error.Message);
        Assert.Equal(1280, Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", "fd00:10:244::/56", "--pod-mtu", "1280"]).PodMtu);
    }

    [Fact]
    public void Parse_BackendUnset_IsHostGwWithFlannelsVxlanDefaults()
    {
        var settings = Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", "10.244.0.0/16"]);

        Assert.Equal(NetworkBackend.HostGw, settings.Backend);
        Assert.False(settings.DirectRouting);
        Assert.Equal(new VxlanOptions(1, 8472, "sluice.vxlan"), settings.Vxlan);
    }

    [Fact]
    public void Parse_VxlanSettings_AreRead()
    {
        var env = new Dictionary<string, string>
        {
            ["PRIMARY_NETWORK"] = "true",
            ["CLUSTER_CIDR"] = "10.244.0.0/16",
            ["NODE_NAME"] = "node-a",
            ["BACKEND"] = "VXLAN",
            ["DIRECT_ROUTING"] = "true",
            ["VXLAN_VNI"] = "4096",
            ["VXLAN_PORT"] = "4789",
            ["VXLAN_DEVICE"] = "vx-pods",
        };

        var settings = Parse([], env);

        Assert.Equal((NetworkBackend.Vxlan, true, new VxlanOptions(4096, 4789, "vx-pods")), (settings.Backend, settings.DirectRouting, settings.Vxlan));
        Assert.Equal("vx-pods6", settings.Vxlan.DeviceFor(System.Net.Sockets.AddressFamily.InterNetworkV6));
    }

    [Theory]
    [InlineData("BACKEND", "flannel", "BACKEND: 'flannel' is not a backend (host-gw or vxlan)")]
    [InlineData("VXLAN_VNI", "0", "VXLAN_VNI: '0' is not a VNI (1-16777215)")]
    [InlineData("VXLAN_VNI", "16777216", "VXLAN_VNI: '16777216' is not a VNI (1-16777215)")]
    [InlineData("VXLAN_PORT", "70000", "VXLAN_PORT: '70000'")]
    [InlineData("VXLAN_DEVICE", "a-name-too-long", "VXLAN_DEVICE: 'a-name-too-long' is not a device name (1-14 letters, digits, '.', '-' or '_', not starting with '.'; the IPv6 device adds '6')")]
    [InlineData("VXLAN_DEVICE", "../eth0", "VXLAN_DEVICE: '../eth0' is not a device name")]
    [InlineData("VXLAN_DEVICE", "..", "VXLAN_DEVICE: '..' is not a device name")]
    [InlineData("VXLAN_DEVICE", ".hidden", "VXLAN_DEVICE: '.hidden' is not a device name")]
    public void Parse_BadVxlanSetting_FailsNamingTheSetting(string variable, string value, string expected)
    {
        var env = new Dictionary<string, string> { ["PRIMARY_NETWORK"] = "true", ["CLUSTER_CIDR"] = "10.244.0.0/16", ["NODE_NAME"] = "node-a", ["BACKEND"] = "vxlan", [variable] = value };

        var error = Assert.Throws<CommandLineException>(() => Parse([], env));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DirectRoutingWithHostGw_OrABackendWithoutPrimaryNetwork_IsRefused()
    {
        var direct = Assert.Throws<CommandLineException>(() => Parse(["--primary-network", "true", "--node-name", "a", "--cluster-cidr", "10.244.0.0/16", "--direct-routing", "true"]));
        var backend = Assert.Throws<CommandLineException>(() => Parse(["--backend", "vxlan"]));

        Assert.Equal("--direct-routing: only used with BACKEND=vxlan (host-gw routes every node directly)", direct.Message);
        Assert.Equal("--backend: only used with PRIMARY_NETWORK=true", backend.Message);
    }

    [Fact]
    public void Parse_PodMtuWithoutPrimaryNetwork_IsRefused()
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(["--pod-mtu", "1400"]));

        Assert.Equal("--pod-mtu: only used with PRIMARY_NETWORK=true", error.Message);
    }

    [Fact]
    public void Parse_OwnedConflist_IsReadWithItsNameAndNeedsChainedMode()
    {
        var settings = Parse([], new Dictionary<string, string> { ["OWNED_CONFLIST"] = "true", ["OWNED_CONFLIST_NAME"] = "00-mesh.conflist" });

        Assert.True(settings.OwnedConflist);
        Assert.Equal("00-mesh.conflist", settings.OwnedConflistName);
        Assert.Equal("01-sluice.conflist", Parse([]).OwnedConflistName);
        Assert.StartsWith("OWNED_CONFLIST: the owned conflist is a way of chaining", Assert.Throws<CommandLineException>(() => Parse(["--chained", "false"], new Dictionary<string, string> { ["OWNED_CONFLIST"] = "true" })).Message, StringComparison.Ordinal);
        Assert.StartsWith("--owned-conflist-name: '../x.conflist' is not a .conflist file name", Assert.Throws<CommandLineException>(() => Parse(["--owned-conflist-name", "../x.conflist"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RemoveReadinessTaint_NeedsTheNodesNameAndHasADefaultKey()
    {
        var settings = Parse(["--remove-readiness-taint", "true", "--node-name", "node-a"]);

        Assert.True(settings.RemoveReadinessTaint);
        Assert.Equal("sluice.io/agent-not-ready", settings.ReadinessTaintKey);
        Assert.StartsWith("NODE_NAME: this node's name is required with REMOVE_READINESS_TAINT=true", Assert.Throws<CommandLineException>(() => Parse(["--remove-readiness-taint", "true"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PluginServiceAccount_NamespaceSlashName_IsRead_AndIsUnsetByDefault()
    {
        var settings = AgentSettings.Parse([], new Dictionary<string, string> { ["PLUGIN_SERVICE_ACCOUNT"] = "kube-system/sluice-plugin" }, TextWriter.Null)!;

        Assert.Equal(("kube-system", "sluice-plugin"), settings.PluginServiceAccount);
        Assert.Null(AgentSettings.Parse([], new Dictionary<string, string>(), TextWriter.Null)!.PluginServiceAccount);
    }
}

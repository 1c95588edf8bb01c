using System.Text.Json.Nodes;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Redirect.Tests.Lab;

/// <summary>
/// The published sluice-redirect binary exec'd the way a runtime does, next to the fake API
/// server on this process's loopback, with one pod namespace for the rules. The pod namespace
/// has no interface: capture rules need none.
/// </summary>
internal sealed class RedirectRig : IDisposable
{
    public const string PodNamespace = "shop";

    private readonly TempDirectory _dir = new("redirect");

    public RedirectRig()
    {
        Api = FakeKubeApi.StartAsync().GetAwaiter().GetResult();
        Kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
        Pod = TestNetns.Create("rpod");

        // Loopback up, as every runtime leaves it by the time the chain's last plugin runs
        // (LibcniChainTests covers a lo the runtime brings up while the chain runs).
        using var ns = Pod.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
    }

    public FakeKubeApi Api { get; }

    public string Kubeconfig { get; }

    public TestNetns Pod { get; }

    public string LogFile => _dir.Combine("redirect.log");

    public string Combine(string name) => _dir.Combine(name);

    /// <summary>What the primary plugin returned, in <paramref name="version"/>.</summary>
    public static string PrevResult(string version, string sandbox) => version.StartsWith("0.", StringComparison.Ordinal)
        ? $$$"""{"cniVersion":"{{{version}}}","interfaces":[{"name":"eth0","mac":"0a:58:0a:2d:00:07","sandbox":"{{{sandbox}}}"}],"ips":[{"version":"4","address":"10.45.0.7/24","gateway":"10.45.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}"""
        : $$$"""{"cniVersion":"{{{version}}}","interfaces":[{"name":"eth0","mac":"0a:58:0a:2d:00:07","sandbox":"{{{sandbox}}}"}],"ips":[{"address":"10.45.0.7/24","gateway":"10.45.0.1","interface":0},{"address":"fd45::7/64","interface":0}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}],"dns":{"nameservers":["10.96.0.10"]}}""";

    /// <summary>The plugin's network configuration; <paramref name="extra"/> is spliced in as more keys.</summary>
    public string Config(string profile = "istio", string extra = "", string version = "1.0.0", bool withPrevResult = true, string? kubeconfig = null) =>
        $$$"""
        {"cniVersion":"{{{version}}}","name":"podnet","type":"sluice-redirect","profile":"{{{profile}}}","backend":"nft",
         "kubernetes":{"kubeconfig":"{{{kubeconfig ?? Kubeconfig}}}","excludeNamespaces":["kube-system"]},
         "podLookup":{"timeoutMs":1500,"attempts":3,"totalMs":5000},
         "logLevel":"debug","logFile":"{{{LogFile}}}"{{{extra}}}{{{(withPrevResult ? $",\"prevResult\":{PrevResult(version, Pod.Path)}" : "")}}} }
        """;

    /// <summary>One call for the pod <paramref name="podName"/> (null: no Kubernetes arguments at all).</summary>
    public ProcessResult Run(string command, string config, string? podName = "reviews", string podNamespace = PodNamespace, string? netns = null, string? binary = null)
    {
        var args = podName is null ? "" : $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={podName};K8S_POD_INFRA_CONTAINER_ID=ctr-{podName}";
        return new CniInvocation(command, "ctr-" + (podName ?? "x"), netns ?? Pod.Path, "eth0", args).Run(binary ?? RepoPaths.Binary("sluice-redirect"), config);
    }

    /// <summary>
    /// A copy of sluice-redirect in a directory of its own, with <paramref name="helperScript"/> as
    /// the sluice-kube beside it (a shell script standing in for the lookup helper; null: none).
    /// </summary>
    public string RedirectWithHelper(string name, string? helperScript)
    {
        var dir = Directory.CreateDirectory(_dir.Combine(name)).FullName;
        var binary = Path.Combine(dir, "sluice-redirect");
        File.Copy(RepoPaths.Binary("sluice-redirect"), binary);
        if (helperScript is not null)
        {
            var helper = Path.Combine(dir, "sluice-kube");
            File.WriteAllText(helper, "#!/bin/sh\n" + helperScript + "\n");
            File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return binary;
    }

    /// <summary>The CNI error object a failed call printed.</summary>
    public static (int Code, string Message) Error(ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, "expected a failure, got: " + result);
        var error = JsonNode.Parse(result.Stdout)!;
        return ((int)error["code"]!, (string)error["msg"]! + " " + (string?)error["details"]);
    }

    /// <summary>Sluice's rules in the pod (empty when none).</summary>
    public string CaptureRules()
    {
        var ruleset = Pod.Exec("nft", "list", "ruleset");
        return ruleset.Contains("sluice", StringComparison.OrdinalIgnoreCase) ? ruleset : "";
    }

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public void Dispose()
    {
        Api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Pod.Dispose();
        _dir.Dispose();
    }
}

using System.Text;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// The node the hostile-input cases run against, shared by all of them: a node namespace with a
/// pod, the fake API server (pods added per case), and a directory of special files to name where
/// a path is expected: a FIFO, a plain file, a directory, links to both and a link out of the
/// node's directory to a file that must never change.
/// </summary>
public sealed class HostileRig : IAsyncLifetime
{
    internal NodeLab Lab { get; } = new("10.53.0.0/22", "fd53::/64");

    public TestNetns Pod { get; private set; } = null!;

    public FakeKubeApi Api { get; private set; } = null!;

    public string Kubeconfig { get; private set; } = "";

    public string Specials => Path.Combine(Lab.Directory, "specials");

    public string Fifo => Path.Combine(Specials, "fifo");

    public string PlainFile => Path.Combine(Specials, "file");

    public string Dir => Path.Combine(Specials, "dir");

    public string LinkToFile => Path.Combine(Specials, "link-to-file");

    public string LinkOut => Path.Combine(Specials, "link-out");

    /// <summary>A file no case may change, reached by <see cref="LinkOut"/> and by climbing paths.</summary>
    public string Precious => Path.Combine(Lab.Directory, "precious");

    public async ValueTask InitializeAsync()
    {
        Pod = Lab.NewPod("hpod");
        Api = await FakeKubeApi.StartAsync(Lab.NodeNs);
        Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        Kubeconfig = Api.WriteKubeconfig(Path.Combine(Lab.Directory, "kubeconfig"));
        Directory.CreateDirectory(Specials);
        Directory.CreateDirectory(Dir);
        File.WriteAllText(PlainFile, "not a namespace\n");
        File.WriteAllText(Precious, "precious\n");
        File.CreateSymbolicLink(LinkToFile, PlainFile);
        File.CreateSymbolicLink(LinkOut, Precious);
        ProcessRunner.Check("mkfifo", Fifo);
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Lab.Dispose();
    }

    /// <summary>sluice-ipam's configuration with <paramref name="ipam"/> keys after the range and <paramref name="top"/> keys at the top.</summary>
    public string IpamConfig(string top = "", string ipam = "", string? dataDir = null) =>
        $$$"""{"cniVersion":"1.1.0","name":"{{{NodeLab.Network}}}","type":"sluice-ipam","logSocket":""{{{top}}},"ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"10.53.0.0/22"}]],"dataDir":"{{{dataDir ?? Lab.DataDir}}}"{{{ipam}}}}}""";

    public string BridgeConfig(string top = "") => Lab.BridgeConfig(top);

    /// <summary>sluice-redirect's configuration (istio, nft, no agent) with prevResult, and <paramref name="top"/> keys.</summary>
    public string RedirectConfig(string top = "", string? kubeconfig = null)
    {
        var config = NodeLab.RedirectConfig(kubeconfig ?? Kubeconfig);
        config = config.TrimEnd()[..^1] + top + "}";
        return NodeLab.WithPrevResult(config, PrevResult(Pod.Path));
    }

    public static string PrevResult(string sandbox) =>
        $$$"""{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:35:00:07","sandbox":"{{{sandbox}}}"}],"ips":[{"address":"10.53.0.7/22","gateway":"10.53.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""";

    /// <summary>The CNI environment of a call for the pod shop/<paramref name="pod"/> (sluice-redirect looks it up).</summary>
    public Dictionary<string, string> Env(string command, string? netns = null, string containerId = "hostile", string ifName = "eth0", string pod = "reviews") =>
        NodeLab.Env(command, containerId, netns ?? Pod.Path, ifName, $"IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME={pod}");

    /// <summary>An istio pod shop/<paramref name="name"/> with one more annotation.</summary>
    public string PodWith(string name, string annotation, string value)
    {
        var escaped = System.Text.Json.Nodes.JsonValue.Create(value).ToJsonString();
        Api.SetPod("shop", name, SamplePods.Istio("shop", name, extraAnnotations: $",\"{annotation}\":{escaped}"));
        return name;
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}

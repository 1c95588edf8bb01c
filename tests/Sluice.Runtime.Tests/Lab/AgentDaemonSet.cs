using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Sluice.TestSupport.Traffic;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// The chart's DaemonSet pod on a <see cref="CriNode"/> with directories of its own: the image
/// <c>make image</c> built (artifacts/image), imported into the node's containerd, and the agent's
/// sandbox and container created and started through the CRI with what kubelet would send
/// (<see cref="KubeletPod"/>). The fake API server stands in for the cluster's: its address as
/// the service variables kubelet sets, its CA and token as the service account's files.
/// </summary>
internal sealed class AgentDaemonSet : IDisposable
{
    private readonly CriNode _node;
    private readonly string _logDirectory;
    private readonly HttpClient _http;

    private AgentDaemonSet(CriNode node, KubeletPod pod, string sandbox, string container, string logDirectory)
    {
        _node = node;
        Pod = pod;
        Sandbox = sandbox;
        Container = container;
        _logDirectory = logDirectory;
        _http = NodeHttp.Client(node.NodeNs, pod.ReadinessProbe.Port, TimeSpan.FromSeconds(3));
    }

    public KubeletPod Pod { get; }

    public string Sandbox { get; }

    public string Container { get; }

    /// <summary>The agent container's log (what <c>kubectl logs</c> shows), without the CRI's time and stream prefix.</summary>
    public string Log
    {
        get
        {
            var path = Path.Combine(_logDirectory, $"{Pod.ContainerName}/0.log");
            return File.Exists(path)
                ? string.Join('\n', File.ReadAllLines(path).Select(line => line.Split(' ', 4) is [_, _, _, var text] ? text : line))
                : "(no container log)";
        }
    }

    /// <summary>The image archive of the chart's image for this machine: artifacts/image/sluice-TAG-ARCH.oci.tar.</summary>
    public static string ImageArchive(string image)
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => throw new PlatformNotSupportedException($"no image for {other}"),
        };
        var archive = Path.Combine(RepoPaths.Root, "artifacts", "image", $"sluice-{image[(image.LastIndexOf(':') + 1)..]}-{arch}.oci.tar");
        return File.Exists(archive) ? archive : throw new FileNotFoundException($"{archive} is missing: run 'make image' before the runtime tests", archive);
    }

    /// <summary>Imports the image, then runs the pod's sandbox and starts the agent's container.</summary>
    public static AgentDaemonSet Start(CriNode node, KubeletPod pod)
    {
        node.ImportImage(ImageArchive(pod.Image), pod.Image);
        var api = new Uri(node.Api.Server);
        var serviceAccount = WriteServiceAccount(node, pod);
        var logDirectory = node.PodLogDirectory(pod.Name);
        var sandboxConfig = pod.SandboxConfig(logDirectory, node.CgroupParent);
        var sandbox = node.RunPodSandbox(sandboxConfig);
        var created = node.Cri.Call("CreateContainer", new JsonObject
        {
            ["pod_sandbox_id"] = sandbox,
            ["config"] = pod.ContainerConfig(api.Host, api.Port, serviceAccount),
            ["sandbox_config"] = sandboxConfig,
        }.ToJsonString());
        var container = (string)created["container_id"]!;
        node.Cri.Call("StartContainer", new JsonObject { ["container_id"] = container }.ToJsonString());
        return new AgentDaemonSet(node, pod, sandbox, container, logDirectory);
    }

    /// <summary>GET on the agent's health port from the node's network; (0, reason) while nothing answers.</summary>
    public (int Status, string Body) Get(string path)
    {
        try
        {
            using var response = _http.GetAsync(path).GetAwaiter().GetResult();
            return ((int)response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, e.Message);
        }
    }

    /// <summary>Polls the chart's readiness probe until it answers 200; fails with the agent's log and containerd's when it does not.</summary>
    public void WaitUntilReady(TimeSpan patience)
    {
        var (path, _) = Pod.ReadinessProbe;
        var watch = Stopwatch.StartNew();
        var last = (Status: 0, Body: "");
        while (watch.Elapsed < patience)
        {
            last = Get(path);
            if (last.Status == 200)
            {
                return;
            }

            Thread.Sleep(200);
        }

        Assert.Fail($"{path} did not answer 200 within {patience.TotalSeconds} s (last: {last.Status} {last.Body})\n{Diagnostics()}");
    }

    /// <summary>StopContainer as kubelet sends it (SIGTERM, SIGKILL after the grace period); returns the agent's exit code.</summary>
    public int Stop()
    {
        var grace = (int)Pod.TerminationGracePeriod.TotalSeconds;
        _node.Cri.Call("StopContainer", new JsonObject { ["container_id"] = Container, ["timeout"] = grace }.ToJsonString());
        var status = _node.Cri.Call("ContainerStatus", new JsonObject { ["container_id"] = Container }.ToJsonString())["status"]!;
        Assert.Equal("CONTAINER_EXITED", (string?)status["state"]);
        return (int?)status["exit_code"] ?? 0;
    }

    public string Diagnostics() => $"--- agent log\n{Log}\n{_node.Diagnostics()}";

    public void Dispose() => _http.Dispose();

    /// <summary>The files kubelet projects into the service account mount: token, ca.crt, namespace.</summary>
    private static string WriteServiceAccount(CriNode node, KubeletPod pod)
    {
        var dir = Path.Combine(node.Dir, "serviceaccount");
        Directory.CreateDirectory(dir);
        node.Api.WriteTokenFile(Path.Combine(dir, "token"));
        File.WriteAllText(Path.Combine(dir, "ca.crt"), node.Api.Authority.CertificatePem);
        File.WriteAllText(Path.Combine(dir, "namespace"), pod.Namespace);
        return dir;
    }
}

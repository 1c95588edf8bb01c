using System.Text.Json.Nodes;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// containerd's CRI API (runtime.v1) through tests/tools/cri: requests and responses in
/// protobuf's JSON mapping, field names as in api.proto.
/// </summary>
internal sealed class CriClient(string socket, string schemaCache)
{
    public JsonNode Call(string method, string request = "{}")
    {
        var result = TryCall(method, request);
        return result.ExitCode == 0
            ? JsonNode.Parse(result.Stdout)!
            : throw new InvalidOperationException($"CRI {method} failed: {result.Stderr.Trim()}");
    }

    public ProcessResult TryCall(string method, string request = "{}") =>
        ProcessRunner.Run(
            GoTools.Path("cri"),
            new Dictionary<string, string>(),
            request,
            ["-address", socket, "-schema-cache", schemaCache, "-timeout", "90s", method, "-"],
            TimeSpan.FromSeconds(100));

    /// <summary>The PodSandboxConfig of a pod as kubelet describes it (metadata, hostname, log directory, cgroup parent).</summary>
    public static JsonObject PodSandboxConfig(string ns, string name, string logDirectory, string cgroupParent) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = Guid.NewGuid().ToString(), ["attempt"] = 0 },
        ["hostname"] = name,
        ["log_directory"] = logDirectory,
        ["linux"] = new JsonObject { ["cgroup_parent"] = cgroupParent },
    };

    /// <summary>RunPodSandbox; returns the sandbox ID.</summary>
    public string RunPodSandbox(JsonObject config)
    {
        var response = Call("RunPodSandbox", new JsonObject { ["config"] = config.DeepClone() }.ToJsonString());
        return (string)response["pod_sandbox_id"]!;
    }

    /// <summary>PodSandboxStatus with verbose info: the status, and containerd's info (runtime spec, CNI result) parsed.</summary>
    public SandboxStatus Status(string id)
    {
        var response = Call("PodSandboxStatus", new JsonObject { ["pod_sandbox_id"] = id, ["verbose"] = true }.ToJsonString());
        var info = JsonNode.Parse((string)response["info"]!["info"]!)!;
        return new SandboxStatus(response["status"]!, info);
    }

    public void StopPodSandbox(string id) => Call("StopPodSandbox", new JsonObject { ["pod_sandbox_id"] = id }.ToJsonString());

    public void RemovePodSandbox(string id) => Call("RemovePodSandbox", new JsonObject { ["pod_sandbox_id"] = id }.ToJsonString());

    /// <summary>The IDs of every sandbox containerd knows.</summary>
    public IReadOnlyList<string> ListPodSandboxes() =>
        Call("ListPodSandbox")["items"]?.AsArray().Select(item => (string)item!["id"]!).ToList() ?? [];
}

using System.Text.Json;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

/// <summary>The hand-written pod reader gives what the source-generated serializer gives for <see cref="Pod"/>, from the API server's JSON and from the agent's.</summary>
public sealed class PodReaderTests
{
    public static TheoryData<string> Pods() =>
    [
        SamplePods.Istio("bookinfo", "reviews"),
        SamplePods.Msm("media", "camera"),
        SamplePods.Plain("batch", "job"),
        PodJson.Write(JsonSerializer.Deserialize(SamplePods.Istio("bookinfo", "reviews"), KubeJsonContext.Default.Pod)!),
        """{"metadata":{"name":"p","labels":null,"ownerReferences":[{"kind":"ReplicaSet","name":"rs","uid":"u"}]},"spec":{"hostNetwork":true,"initContainers":[{"name":"i","restartPolicy":"Always","securityContext":{"runAsUser":0,"runAsGroup":null}}]},"status":{"podIP":"10.0.0.2","podIPs":[{"ip":"10.0.0.2"},{"ip":"fd00::2"}]}}""",
        """{"Metadata":{"Name":"ignored: keys match exactly"},"spec":{"containers":[{"name":"c","env":[{"name":"A","valueFrom":{"x":1}}],"ports":[{"containerPort":80,"protocol":"UDP","name":"p"}]}]}}""",
        """{"metadata":{"name":"p","deletionTimestamp":"2026-11-20T08:15:03Z"},"status":{"initContainerStatuses":[{"name":"sluice-validation","state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":126,"reason":"Error"}},"restartCount":3},{"name":"b","state":{"terminated":{"exitCode":0}},"lastState":{}}]}}""",
        "{}",
    ];

    [Theory]
    [MemberData(nameof(Pods))]
    public void A_pod_reads_as_the_serializer_reads_it(string json)
    {
        var ours = PodJson.Read(json);
        var theirs = JsonSerializer.Deserialize(json, KubeJsonContext.Default.Pod)!;

        Assert.Equal(PodJson.Write(theirs), PodJson.Write(ours));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":1}}""", "metadata.name")]
    [InlineData("""{"metadata":{"labels":{"a":true}}}""", "metadata.labels.a")]
    [InlineData("""{"spec":{"hostNetwork":"yes"}}""", "spec.hostNetwork")]
    [InlineData("""{"spec":{"containers":{}}}""", "spec.containers")]
    [InlineData("""{"spec":{"containers":[{"ports":[{"containerPort":"80"}]}]}}""", "spec.containers[0].ports[0].containerPort")]
    [InlineData("""{"spec":{"initContainers":[{"securityContext":{"runAsUser":1.5}}]}}""", "spec.initContainers[0].securityContext.runAsUser")]
    [InlineData("""{"status":"Running"}""", "status")]
    [InlineData("""{"status":{"initContainerStatuses":[{"lastState":{"terminated":{"exitCode":"126"}}}]}}""", "status.initContainerStatuses[0].lastState.terminated.exitCode")]
    public void A_value_of_the_wrong_type_is_a_json_error_naming_the_field(string json, string field)
    {
        var error = Assert.Throws<JsonException>(() => PodJson.Read(json));

        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, KubeJsonContext.Default.Pod));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"metadata\":")]
    [InlineData("{} {}")]
    [InlineData("[]")]
    public void Input_that_is_no_pod_is_a_json_error(string json)
    {
        Assert.ThrowsAny<JsonException>(() => PodJson.Read(json));
    }
}

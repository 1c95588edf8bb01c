using System.Text.Json;
using Sluice.Json;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

/// <summary>A pod read and written through <see cref="Pod.Shape"/>: by <see cref="PodJson"/> and by the API client's source-generated context.</summary>
public sealed class PodJsonTests
{
    public static TheoryData<string> SamplePodsAsServed() =>
    [
        SamplePods.Istio("bookinfo", "reviews"),
        SamplePods.Msm("media", "camera"),
        SamplePods.Generic("shop", "cart"),
        SamplePods.Plain("batch", "job"),
    ];

    public static TheoryData<byte[]> Undecodable() => new(
        [.. "{\"metadata\":{\"name\":\""u8, 0xFF, 0xFE, .. "\"}}"u8],
        "{\"metadata\":{\"name\":\"\\uD800\"}}"u8.ToArray());

    [Theory]
    [MemberData(nameof(Undecodable))]
    public void Read_NameThatCannotBeDecoded_ThrowsJsonException(byte[] json)
    {
        var error = Assert.ThrowsAny<JsonException>(() => PodJson.Read(json));

        Assert.Contains("cannot be decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IstioPodAsServed_ReadsEveryDeclaredField()
    {
        var pod = PodJson.Read(SamplePods.Istio("bookinfo", "reviews", nodeName: "node-b"));

        Assert.Equal(("reviews", "bookinfo", "91342"), (pod.Metadata.Name, pod.Metadata.Namespace, pod.Metadata.ResourceVersion));
        Assert.StartsWith("6b1f3c52-", pod.Metadata.Uid, StringComparison.Ordinal);
        Assert.Equal("istio", pod.Metadata.Labels!["security.istio.io/tlsMode"]);
        Assert.Contains("istio-proxy", pod.Metadata.Annotations!["sidecar.istio.io/status"], StringComparison.Ordinal);
        Assert.Equal("node-b", pod.Spec.NodeName);
        Assert.False(pod.Spec.HostNetwork);
        var validation = Assert.Single(pod.Spec.InitContainers);
        Assert.Equal(("istio-validation", 1337L, 1337L), (validation.Name, validation.SecurityContext!.RunAsUser, validation.SecurityContext.RunAsGroup));
        Assert.Equal(["reviews", "istio-proxy"], pod.Spec.Containers.Select(c => c.Name));
        var proxy = pod.Spec.Containers[1];
        Assert.Equal("docker.io/istio/proxyv2:1.22.3", proxy.Image);
        Assert.Equal(["PILOT_CERT_PROVIDER=istiod", "POD_NAME=", "ISTIO_META_INTERCEPTION_MODE=REDIRECT"], proxy.Env.Select(e => $"{e.Name}={e.Value}"));
        var port = Assert.Single(proxy.Ports);
        Assert.Equal((15090, "TCP", "http-envoy-prom"), (port.Port, port.Protocol, port.Name));
        Assert.Equal("Pending", pod.Status.Phase);
    }

    [Theory]
    [MemberData(nameof(SamplePodsAsServed))]
    public void WriteThenRead_SamplePod_GivesTheSamePodBack(string json)
    {
        var written = PodJson.Write(PodJson.Read(json));

        Assert.Equal(written, PodJson.Write(PodJson.Read(written)));
        using var document = JsonDocument.Parse(written);
        Assert.Equal(["metadata", "spec", "status"], document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Write_PodWithEveryField_WritesDeclaredKeysInOrderWithoutNulls()
    {
        const string Json = """{"metadata":{"name":"p","namespace":"n","uid":"u","resourceVersion":"7","deletionTimestamp":"2026-11-20T08:15:03Z","generation":3,"labels":{"a":"b"},"annotations":{"c":"d"},"ownerReferences":[{"kind":"ReplicaSet","name":"rs"}]},"spec":{"nodeName":"node-a","hostNetwork":true,"containers":[{"name":"c","image":"i","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80,"protocol":"UDP","name":"dns"}],"securityContext":{"runAsUser":0},"restartPolicy":"Always"}],"initContainers":[]},"status":{"phase":"Running","podIP":"10.0.0.2","podIPs":[{"ip":"10.0.0.2"},{"ip":"fd00::2"}],"initContainerStatuses":[{"name":"v","state":{"terminated":{"exitCode":0}},"restartCount":2,"lastState":{"terminated":{"exitCode":126}}}]}}""";

        Assert.Equal(Json, PodJson.Write(PodJson.Read(Json)));
    }

    [Fact]
    public void Read_UnknownKeysAndOtherCasings_AreSkipped()
    {
        var pod = PodJson.Read("""{"kind":"Pod","Metadata":{"name":"ignored"},"metadata":{"Name":"ignored","managedFields":[{"a":[1,{"b":null}]}]},"spec":{"containers":[{"name":"c","env":[{"name":"A","valueFrom":{"fieldRef":{"fieldPath":"x"}}}],"resources":{}}]}}""");

        Assert.Null(pod.Metadata.Name);
        var env = Assert.Single(Assert.Single(pod.Spec.Containers).Env);
        Assert.Equal(("A", null), (env.Name, env.Value));
    }

    [Fact]
    public void Read_NullObjectsAndLists_ReadAsEmpty()
    {
        var pod = PodJson.Read("""{"metadata":null,"spec":{"containers":null,"initContainers":null},"status":{"podIPs":null,"initContainerStatuses":null}}""");

        Assert.Null(pod.Metadata.Name);
        Assert.Empty(pod.Spec.Containers);
        Assert.Empty(pod.Spec.InitContainers);
        Assert.Empty(pod.Status.PodIPs);
        Assert.Empty(pod.Status.InitContainerStatuses);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":1}}""", "metadata.name", "a string")]
    [InlineData("""{"metadata":{"labels":{"a":true}}}""", "metadata.labels.a", "a string")]
    [InlineData("""{"metadata":{"annotations":{"a":null}}}""", "metadata.annotations.a", "a string")]
    [InlineData("""{"spec":{"hostNetwork":"yes"}}""", "spec.hostNetwork", "true or false")]
    [InlineData("""{"spec":{"hostNetwork":null}}""", "spec.hostNetwork", "true or false")]
    [InlineData("""{"spec":{"containers":{}}}""", "spec.containers", "an array")]
    [InlineData("""{"spec":{"containers":[null]}}""", "spec.containers[0]", "an object")]
    [InlineData("""{"spec":{"containers":[{"ports":[{"containerPort":"80"}]}]}}""", "spec.containers[0].ports[0].containerPort", "an integer")]
    [InlineData("""{"spec":{"initContainers":[{"securityContext":{"runAsUser":1.5}}]}}""", "spec.initContainers[0].securityContext.runAsUser", "an integer")]
    [InlineData("""{"status":"Running"}""", "status", "an object")]
    [InlineData("""{"status":{"initContainerStatuses":[{"lastState":{"terminated":{"exitCode":"126"}}}]}}""", "status.initContainerStatuses[0].lastState.terminated.exitCode", "an integer")]
    public void Read_ValueOfWrongType_ThrowsJsonFieldExceptionNamingTheField(string json, string field, string expected)
    {
        var error = Assert.Throws<JsonFieldException>(() => PodJson.Read(json));

        Assert.Equal((field, expected, JsonFieldProblem.WrongType), (error.Path, error.Expected, error.Problem));
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PortBeyondInt32_ThrowsOutOfRangeNamingTheField()
    {
        var error = Assert.Throws<JsonFieldException>(() => PodJson.Read("""{"spec":{"containers":[{"ports":[{"containerPort":4294967296}]}]}}"""));

        Assert.Equal(("spec.containers[0].ports[0].containerPort", JsonFieldProblem.OutOfRange, "4294967296"), (error.Path, error.Problem, error.Value));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"pod\"")]
    public void Read_JsonThatIsNoObject_ThrowsJsonFieldExceptionForTheWholeInput(string json)
    {
        var error = Assert.Throws<JsonFieldException>(() => PodJson.Read(json));

        Assert.Equal("", error.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"metadata\":")]
    [InlineData("{} {}")]
    [InlineData("{\"metadata\":{\"name\":\"p\",}}")]
    public void Read_TextThatIsNotOneJsonValue_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => PodJson.Read(json));

    [Fact]
    public void Read_UnknownValueNestedBeyondTheReaderDepth_ThrowsJsonException()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.ThrowsAny<JsonException>(() => PodJson.Read("{\"spec\":{\"affinity\":" + deep + "}}"));
    }

    [Fact]
    public void Read_LargePodWithThousandsOfContainers_ReadsThemAll()
    {
        var value = new string('x', 100);
        var containers = string.Join(',', Enumerable.Range(0, 5000).Select(i => $$$"""{"name":"c{{{i}}}","env":[{"name":"E","value":"{{{value}}}"}]}"""));

        var pod = PodJson.Read("{\"spec\":{\"containers\":[" + containers + "]}}");

        Assert.Equal(5000, pod.Spec.Containers.Count);
        Assert.Equal("c4999", pod.Spec.Containers[^1].Name);
    }

    [Fact]
    public async Task ListRead_PodListWithWrongTypeInAnItem_ThrowsJsonFieldExceptionFromTheShape()
    {
        const string List = """{"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"a"}},{"spec":{"hostNetwork":"yes"}}]}""";
        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(List));

        var error = await Assert.ThrowsAsync<JsonFieldException>(() => StreamedList<Pod>.ReadAsync(body, KubeJsonContext.Default.Pod, TestContext.Current.CancellationToken));

        Assert.Equal("spec.hostNetwork", error.Path);
    }

    [Theory]
    [MemberData(nameof(SamplePodsAsServed))]
    public void ContextWrite_SamplePod_WritesWhatPodJsonWrites(string json)
    {
        var pod = PodJson.Read(json);

        Assert.Equal(PodJson.Write(pod), JsonSerializer.Serialize(pod, KubeJsonContext.Default.Pod));
        Assert.Equal(PodJson.Write(pod), PodJson.Write(JsonSerializer.Deserialize(json, KubeJsonContext.Default.Pod)!));
    }
}

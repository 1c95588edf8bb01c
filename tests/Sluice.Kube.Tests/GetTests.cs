using Sluice.Kube.Client;

namespace Sluice.Kube.Tests;

public sealed class GetTests : FakeApiTest
{
    [Fact]
    public async Task GetPod_AsServed_ReadsEveryModelField()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        using var client = Client();

        var pod = await client.GetPodAsync("default", "web-1", TestContext.Current.CancellationToken);

        Assert.Equal("web-1", pod.Metadata.Name);
        Assert.Equal("48213", pod.Metadata.ResourceVersion);
        Assert.Equal("web", pod.Metadata.Labels!["app"]);
        Assert.Equal("msm", pod.Metadata.Annotations!["sluice.io/capture"]);
        Assert.Equal("ReplicaSet", Assert.Single(pod.Metadata.OwnerReferences!).Kind);
        Assert.Equal("node-a", pod.Spec.NodeName);
        Assert.False(pod.Spec.HostNetwork);
        var sidecar = Assert.Single(pod.Spec.InitContainers);
        Assert.True(sidecar.IsNativeSidecar);
        Assert.Equal(1337, sidecar.SecurityContext!.RunAsUser);
        Assert.Equal(15001, Assert.Single(sidecar.Ports).Port);
        var web = Assert.Single(pod.Spec.Containers);
        Assert.False(web.IsNativeSidecar);
        Assert.Equal(["MODE", "POD_IP"], web.Env.Select(e => e.Name));
        Assert.Null(web.Env[1].Value);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(["10.244.1.7", "fd00:10:244:1::7"], pod.Status.PodIPs.Select(ip => ip.Ip));
        Assert.Equal(1, Api.RequestCount("/api/v1/namespaces/default/pods/web-1"));
    }

    [Fact]
    public async Task GetNode_AsServed_ReadsPodCidrsAddressesAndConditions()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        using var client = Client();

        var node = await client.GetNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal("10.244.1.0/24", node.Spec.PodCIDR);
        Assert.Equal(["10.244.1.0/24"], node.Spec.PodCIDRs);
        Assert.Equal("InternalIP", node.Status.Addresses[0].Type);
        Assert.Equal("True", Assert.Single(node.Status.Conditions).Status);
    }

    [Fact]
    public async Task GetPod_Missing_FailsAtOnceAsNotFound()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetPodAsync("default", "gone", TestContext.Current.CancellationToken));

        Assert.True(error.IsNotFound);
        Assert.Equal("NotFound", error.Reason);
        Assert.Equal("pod default/gone", error.ObjectDescription);
        Assert.Equal(Api.Server, error.Server);
        Assert.Equal($"GET pod default/gone from {Api.Server}: 404 Not Found: pods \"gone\" not found (after 1 attempt)", error.Message);
        Assert.Equal(1, Api.RequestCount("/api/v1/namespaces/default/pods/gone"));
    }

    [Fact]
    public async Task GetPod_Forbidden_FailsAtOnceWithTheStatusMessage()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        const string Message = "pods \"web-1\" is forbidden: User \"system:serviceaccount:kube-system:sluice\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"";
        Api.FailNext(403, 5, Message);
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetPodAsync("default", "web-1", TestContext.Current.CancellationToken));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Equal($"GET pod default/web-1 from {Api.Server}: 403 Forbidden: {Message} (after 1 attempt)", error.Message);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, Api.RequestCount("/api/v1/namespaces/default/pods/web-1"));
    }

    [Fact]
    public async Task GetPod_WrongToken_FailsAtOnceAsUnauthorized()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        using var client = Client();
        Api.Token = "a-different-token";

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetPodAsync("default", "web-1", TestContext.Current.CancellationToken));

        Assert.Equal(401, error.StatusCode);
        Assert.EndsWith(": 401 Unauthorized: Unauthorized (after 1 attempt)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Api.RequestCount("/api/v1/namespaces/default/pods/web-1"));
    }
}

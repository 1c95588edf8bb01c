using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Cni;
using static Sluice.Redirect.Tests.Pods;

namespace Sluice.Redirect.Tests;

public sealed class RedirectSettingsTests
{
    [Fact]
    public void Settings_NothingSet_AreGenericAutoBackendFailPolicyAndBoundedLookups()
    {
        var settings = Settings("\"kubernetes\":{}");

        Assert.Equal(RedirectProfile.Generic, settings.Profile);
        Assert.Equal(CaptureBackendKind.Auto, settings.Backend);
        Assert.Equal(FailurePolicy.Fail, settings.FailurePolicy);
        Assert.Null(settings.RuntimeLoopback);
        Assert.Equal(RedirectSettings.DefaultKubeconfig, settings.Kubeconfig);
        Assert.True(settings.LookupTotal < TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("beside-chain", RuntimeLoopbackOrder.BesideChain)]
    [InlineData("Before-Chain", RuntimeLoopbackOrder.BeforeChain)]
    public void Settings_RuntimeLoopback_IsReadAsTheOrderOfTheRuntimesLoopbackStep(string value, RuntimeLoopbackOrder? order) =>
        Assert.Equal(order, Settings($"\"runtimeLoopback\":\"{value}\"").RuntimeLoopback);

    [Fact]
    public void Settings_MsmAndIstioKeySpellings_AreBothRead()
    {
        var msm = Settings("\"kubernetes\":{\"kubeConfig\":\"/etc/msm/kc\",\"excludeNamespaces\":[\"a\"]}");
        var istio = Settings("\"kubernetes\":{\"kubeconfig\":\"/etc/istio/kc\",\"exclude_namespaces\":[\"b\"]},\"log_level\":\"debug\"");

        Assert.Equal("/etc/msm/kc", msm.Kubeconfig);
        Assert.Equal(["a"], msm.ExcludeNamespaces);
        Assert.Equal("/etc/istio/kc", istio.Kubeconfig);
        Assert.Equal(["b"], istio.ExcludeNamespaces);
    }

    [Fact]
    public void Settings_CaptureSection_AppliesOnTopOfTheProfilesPolicy()
    {
        var settings = Settings("\"profile\":\"istio\",\"capture\":{\"inboundMode\":\"tproxy\",\"outboundExcludeCidrs\":[\"10.96.0.0/12\"],\"inboundExcludePorts\":[22,\"9000-9100\"],\"redirectDns\":true,\"families\":\"ipv4\"}");

        Assert.Equal(InboundMode.Tproxy, settings.BasePolicy.InboundMode);
        Assert.Equal("10.96.0.0/12", settings.BasePolicy.OutboundExcludeCidrs.ToString());
        Assert.Equal("22,9000-9100", settings.BasePolicy.InboundExcludePorts.ToString());
        Assert.Equal(15053, settings.BasePolicy.DnsPort);
        Assert.Equal(CaptureFamilies.Ipv4, settings.BasePolicy.Families);
        Assert.Equal(15001, settings.BasePolicy.OutboundPort);
    }

    [Theory]
    [InlineData("\"profile\":\"linkerd\"", "profile 'linkerd'")]
    [InlineData("\"backend\":\"ebpf\"", "backend 'ebpf'")]
    [InlineData("\"kubernetes\":{\"agentSocket\":\"run/pods.sock\"}", "kubernetes.agentSocket 'run/pods.sock' is not an absolute path")]
    [InlineData("\"failurePolicy\":\"retry\"", "failurePolicy 'retry'")]
    [InlineData("\"runtimeLoopback\":\"after-chain\"", "runtimeLoopback 'after-chain' is not a loopback order (auto, beside-chain or before-chain)")]
    [InlineData("\"capture\":{\"outboundPort\":70000}", "capture.outboundPort '70000' is not a port")]
    [InlineData("\"capture\":{\"inboundPorts\":\"80,x\"}", "capture.inboundPorts 'x' is not a port")]
    [InlineData("\"capture\":{\"outboundCidrs\":[\"10.0.0.1/8\"]}", "capture.outboundCidrs")]
    [InlineData("\"capture\":{\"inboundMode\":\"divert\"}", "capture.inboundMode 'divert'")]
    [InlineData("\"capture\":{\"inboundMode\":\"TPROXY\",\"tproxyMark\":1338}", "capture.tproxyMark '1338'")]
    [InlineData("\"podLookup\":{\"attempts\":0}", "podLookup.attempts '0'")]
    [InlineData("\"capture\":{\"inboundMode\":\"TPROXY\",\"tproxyTable\":3000000000}", "capture.tproxyTable '3000000000' is not a routing table number")]
    [InlineData("\"capture\":{\"tproxyTable\":\"-1\"}", "capture.tproxyTable '-1' is not a routing table number")]
    [InlineData("\"capture\":{\"proxyUid\":4294967296}", "capture.proxyUid '4294967296' is not an id")]
    [InlineData("\"capture\":{\"proxyUid\":4294967295}", "capture.proxyUid '4294967295' is not a user or group id")]
    [InlineData("\"capture\":{\"tproxyMark\":-1}", "capture.tproxyMark '-1' is not an id")]
    [InlineData("\"capture\":{\"inboundPort\":0}", "capture.inboundPort '0' is not a port")]
    [InlineData("\"capture\":{\"dnsPort\":65536}", "capture.dnsPort '65536' is not a port")]
    [InlineData("\"capture\":{\"excludeInterfaces\":\"+\"}", "capture.excludeInterfaces '+' is not an interface name")]
    [InlineData("\"capture\":{\"excludeInterfaces\":[\"eth0\",\"x\\\"\"]}", "capture.excludeInterfaces 'x\"' is not an interface name")]
    [InlineData("\"podLookup\":{\"totalMs\":2147483647}", "podLookup.totalMs '2147483647' is not between")]
    [InlineData("\"podLookup\":{\"attempts\":11}", "podLookup.attempts '11' is not between 1 and 10")]
    [InlineData("\"podLookup\":{\"timeoutMs\":5}", "podLookup.timeoutMs '5'")]
    public void Settings_BadValue_IsError7NamingTheFieldAndTheValue(string json, string expected)
    {
        var error = Assert.Throws<CniException>(() => Settings(json));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

using Sluice.Cni;

namespace Sluice.Cni.Tests;

public sealed class CniArgsTests
{
    [Fact]
    public void Parse_KubernetesArgsInAnyOrder_ReadsEveryKey()
    {
        var args = CniArgs.Parse("K8S_POD_NAME=web-0;IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u-1");
        Assert.Equal("web-0", args.Get(CniArgs.PodName));
        Assert.Equal("shop", args.Get(CniArgs.PodNamespace));
        Assert.Equal("abc", args.Get(CniArgs.PodInfraContainerId));
        Assert.Equal("u-1", args.Get(CniArgs.PodUid));
        Assert.True(args.IgnoreUnknown);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_Empty_HasNoPairs(string? text) => Assert.Empty(CniArgs.Parse(text).Pairs);

    [Theory]
    [InlineData("FOO")]
    [InlineData("=bar")]
    [InlineData("A=1;B")]
    [InlineData("A=1=2")]
    public void Parse_MalformedPair_FailsWithCode4NamingCniArgs(string text)
    {
        var error = Assert.Throws<CniException>(() => CniArgs.Parse(text));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_ARGS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingSemicolon_IsTolerated() => Assert.Single(CniArgs.Parse("A=1;").Pairs);

    [Fact]
    public void RequireKnownKeys_WithUnknownKeyAndNoIgnoreUnknown_FailsNamingTheKey()
    {
        var error = Assert.Throws<CniException>(() => CniArgs.Parse("K8S_POD_NAME=a;FOO=1;BAR=2").RequireKnownKeys(CniArgs.KubernetesKeys.ToList()));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("FOO, BAR", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IgnoreUnknown=1;FOO=1")]
    [InlineData("IgnoreUnknown=true;FOO=1")]
    [InlineData("FOO=1;IgnoreUnknown=TRUE")]
    public void RequireKnownKeys_WithIgnoreUnknown_AcceptsUnknownKeys(string text) =>
        CniArgs.Parse(text).RequireKnownKeys(CniArgs.KubernetesKeys.ToList());

    [Fact]
    public void RequireKnownKeys_WithIgnoreUnknownZero_StillRejects() =>
        Assert.Throws<CniException>(() => CniArgs.Parse("IgnoreUnknown=0;FOO=1").RequireKnownKeys(CniArgs.KubernetesKeys.ToList()));

    [Fact]
    public void ToString_RoundTripsThePairs() =>
        Assert.Equal("A=1;B=2", CniArgs.Parse("A=1;B=2").ToString());
}

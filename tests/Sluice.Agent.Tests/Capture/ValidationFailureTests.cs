using System.Text.Json.Nodes;
using Sluice.Agent.Capture;
using static Sluice.Agent.Tests.Capture.CapturePods;

namespace Sluice.Agent.Tests.Capture;

/// <summary>Istio's validation contract: an init container that last exited 126 says the pod's capture is missing.</summary>
public sealed class ValidationFailureTests
{
    private static readonly HashSet<string> Names = ["sluice-validation", "istio-validation"];

    private static Kube.Models.Pod WithStatuses(JsonArray statuses) =>
        Edited(SamplePods.Istio("shop", "reviews"), p => p["status"]!["initContainerStatuses"] = statuses);

    [Fact]
    public void Of_AValidationContainerWaitingAfterExiting126_IsAFailureWithItsRestartCount()
    {
        var pod = WithStatuses(Statuses(("istio-validation", """{"waiting":{"reason":"CrashLoopBackOff"}}""", """{"terminated":{"exitCode":126,"reason":"Error"}}""", 3)));

        Assert.Equal(("istio-validation", 3), ValidationFailure.Of(pod, Names));
    }

    [Fact]
    public void Of_AValidationContainerThatJustExited126_IsAFailure()
    {
        var pod = WithStatuses(Statuses(("sluice-validation", """{"terminated":{"exitCode":126}}""", "{}", 0)));

        Assert.Equal(("sluice-validation", 0), ValidationFailure.Of(pod, Names));
    }

    [Fact]
    public void Of_AValidationContainerThatPassedAfterAFailure_IsNoFailure()
    {
        var pod = WithStatuses(Statuses(("istio-validation", """{"terminated":{"exitCode":0}}""", """{"terminated":{"exitCode":126}}""", 1)));

        Assert.Null(ValidationFailure.Of(pod, Names));
    }

    [Theory]
    [InlineData("istio-validation", 1)]
    [InlineData("app-init", 126)]
    public void Of_OtherExitCodesOrOtherContainers_IsNoFailure(string name, int exitCode)
    {
        var pod = WithStatuses(Statuses((name, $$$"""{"terminated":{"exitCode":{{{exitCode}}}}}""", "{}", 0)));

        Assert.Null(ValidationFailure.Of(pod, Names));
    }

    [Fact]
    public void Of_APodWithoutInitContainerStatuses_IsNoFailure() =>
        Assert.Null(ValidationFailure.Of(Read(SamplePods.Istio("shop", "reviews")), Names));
}

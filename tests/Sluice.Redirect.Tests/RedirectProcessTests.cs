using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Cni;
using Sluice.Redirect.Tests.Lab;

namespace Sluice.Redirect.Tests;

/// <summary>
/// The published sluice-redirect against the fake API server: what a runtime sees for every
/// command, and the documented outcome of every kind of API failure (fail closed unless the
/// failure policy says ignore).
/// </summary>
public sealed class RedirectProcessTests : IDisposable
{
    private readonly RedirectRig _rig = new();

    public RedirectProcessTests()
    {
        _rig.Api.SetPod(RedirectRig.PodNamespace, "reviews", SamplePods.Istio(RedirectRig.PodNamespace, "reviews"));
        _rig.Api.SetPod(RedirectRig.PodNamespace, "report", SamplePods.Plain(RedirectRig.PodNamespace, "report"));
    }

    public void Dispose() => _rig.Dispose();

    private const string PodPath = "/api/v1/namespaces/shop/pods/reviews";

    [RootTheory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Add_EnabledPod_InstallsCaptureAndReturnsPrevResultUnchanged(string version)
    {
        var add = _rig.Run("ADD", _rig.Config(version: version));

        Assert.True(add.ExitCode == 0, add + _rig.Log());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RedirectRig.PrevResult(version, _rig.Pod.Path)), JsonNode.Parse(add.Stdout)), add.Stdout);
        Assert.Contains("table inet sluice_capture", _rig.CaptureRules(), StringComparison.Ordinal);
        Assert.Equal(1, _rig.Api.RequestCount(PodPath));
    }

    [RootFact]
    public void Add_WithoutPrevResult_IsError7NamingItAndInstallsNothing()
    {
        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config(withPrevResult: false)));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, code);
        Assert.Contains("prevResult", message, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootTheory]
    [InlineData(401, 1)]
    [InlineData(403, 1)]
    [InlineData(404, 1)]
    [InlineData(500, 3)]
    [InlineData(503, 3)]
    public void Add_ApiErrorStatus_FailsNamingPodServerAndStatusRetryingOnlyServerErrors(int status, int expectedRequests)
    {
        _rig.Api.FailNext(status, 100, "injected by the test");

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config()));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("pod shop/reviews", message, StringComparison.Ordinal);
        Assert.Contains(_rig.Api.Server, message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.Equal(expectedRequests, _rig.Api.RequestCount(PodPath));
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_SlowApi_TimesOutWithinTheConfiguredTotalAndInstallsNothing()
    {
        _rig.Api.ResponseDelay = TimeSpan.FromSeconds(20);
        var watch = Stopwatch.StartNew();

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config()));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("timed out", message, StringComparison.Ordinal);

        // podLookup.totalMs is 5 s; the margin is for a loaded machine, not a performance claim.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5 + 5), $"took {watch.Elapsed}");
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_WithoutSluiceKubeBesideThePlugin_FailsNamingTheMissingHelper()
    {
        var binary = _rig.RedirectWithHelper("alone", helperScript: null);

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config(), binary: binary));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("pod shop/reviews", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Path.GetDirectoryName(binary)!, "sluice-kube"), message, StringComparison.Ordinal);
        Assert.Equal(0, _rig.Api.RequestCount(PodPath));
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_HangingLookupHelper_IsGivenUpAfterTheTotalBoundAndTheAddFailsClosed()
    {
        var binary = _rig.RedirectWithHelper("hanging", "exec sleep 60");
        var watch = Stopwatch.StartNew();

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config().Replace("\"totalMs\":5000", "\"totalMs\":300", StringComparison.Ordinal), binary: binary));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("pod shop/reviews", message, StringComparison.Ordinal);
        Assert.Contains("sluice-kube gave no answer within", message, StringComparison.Ordinal);

        // 0.3 s of lookup and 2 s of grace; the margin is for a loaded machine, not a performance claim.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootTheory]
    [InlineData("echo 'looking up pod shop/reviews: injected refusal' >&2; exit 1", "looking up pod shop/reviews: injected refusal")]
    [InlineData("exit 3", "looking up pod shop/reviews: sluice-kube exited with 3")]
    [InlineData("echo 'not json'", "looking up pod shop/reviews: sluice-kube printed no pod")]
    public void Add_LookupHelperFails_ReportsWhatTheHelperSaidAsItsError(string helperScript, string expected)
    {
        var binary = _rig.RedirectWithHelper("failing", helperScript);

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config(), binary: binary));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_MalformedPodJsonFromTheApi_FailsAsNotAValidPod()
    {
        _rig.Api.SetPod(RedirectRig.PodNamespace, "reviews", """{"kind":"Pod","metadata":{"name":"reviews",""");

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config()));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("not a valid Pod", message, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_ApiFailsWithFailurePolicyIgnore_SucceedsWithoutCaptureAndLogsWhy()
    {
        _rig.Api.FailNext(503, 100);

        var add = _rig.Run("ADD", _rig.Config(extra: ""","failurePolicy":"ignore" """));

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RedirectRig.PrevResult("1.0.0", _rig.Pod.Path)), JsonNode.Parse(add.Stdout)));
        Assert.Equal("", _rig.CaptureRules());
        Assert.Contains("failurePolicy is ignore", _rig.Log(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Add_TokenFileRewrittenAfterRotation_IsReadAgainOnTheNextCall()
    {
        var tokenFile = _rig.Api.WriteTokenFile(_rig.Combine("token"));
        var kubeconfig = _rig.Api.WriteKubeconfig(_rig.Combine("kubeconfig-tokenfile"), tokenFile: tokenFile);
        Assert.Equal(0, _rig.Run("ADD", _rig.Config(kubeconfig: kubeconfig)).ExitCode);

        _rig.Api.Token = "fake-token-2";
        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config(kubeconfig: kubeconfig)));
        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("401", message, StringComparison.Ordinal);

        _rig.Api.WriteTokenFile(tokenFile);
        var add = _rig.Run("ADD", _rig.Config(kubeconfig: kubeconfig));
        Assert.True(add.ExitCode == 0, add.ToString());
    }

    [RootFact]
    public void Add_MalformedPodAnnotation_FailsClosedNamingTheAnnotationAndTheValue()
    {
        _rig.Api.SetPod(
            RedirectRig.PodNamespace,
            "reviews",
            SamplePods.Istio(RedirectRig.PodNamespace, "reviews", extraAnnotations: """, "traffic.sidecar.istio.io/excludeOutboundPorts": "80,http" """));

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config()));

        Assert.Equal(SluiceErrorCode.InvalidPodSettings, code);
        Assert.Contains("traffic.sidecar.istio.io/excludeOutboundPorts", message, StringComparison.Ordinal);
        Assert.True(message.Contains("80,http", StringComparison.Ordinal), message);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootTheory]
    [InlineData(null, "shop")]
    [InlineData("reviews", "kube-system")]
    public void Add_WithoutPodNameOrInAnExcludedNamespace_PassesThroughWithoutAskingTheApi(string? pod, string ns)
    {
        var add = _rig.Run("ADD", _rig.Config(), podName: pod, podNamespace: ns);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Empty(_rig.Api.Requests);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Add_PlainPod_PassesThroughAfterTheLookupWithoutRules()
    {
        var add = _rig.Run("ADD", _rig.Config(), podName: "report");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("", _rig.CaptureRules());
        Assert.Contains("no capture", _rig.Log(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Del_AfterAdd_RemovesTheRulesAndSucceedsAgainWithoutAskingTheApi()
    {
        Assert.Equal(0, _rig.Run("ADD", _rig.Config()).ExitCode);
        Assert.NotEqual("", _rig.CaptureRules());

        var del = _rig.Run("DEL", _rig.Config());
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal("", _rig.CaptureRules());
        Assert.Equal(0, _rig.Run("DEL", _rig.Config()).ExitCode);
        Assert.Equal(1, _rig.Api.RequestCount(PodPath));
    }

    [RootTheory]
    [InlineData("")]
    [InlineData("/var/run/netns/slt-gone-00000000")]
    public void Del_EmptyOrGoneNetnsWithoutPrevResultOrAdd_SucceedsWithoutAskingTheApi(string netns)
    {
        var del = _rig.Run("DEL", _rig.Config(withPrevResult: false), netns: netns);

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal("", del.Stdout);
        Assert.Empty(_rig.Api.Requests);
    }

    [RootFact]
    public void Check_InstalledThenFlushedRules_PassesThenFailsSayingTheyDiffer()
    {
        Assert.Equal(0, _rig.Run("ADD", _rig.Config()).ExitCode);
        Assert.Equal(0, _rig.Run("CHECK", _rig.Config()).ExitCode);

        _rig.Pod.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");
        var (code, message) = RedirectRig.Error(_rig.Run("CHECK", _rig.Config()));

        Assert.Equal(SluiceErrorCode.CheckFailed, code);
        Assert.Contains("differ from the pod's policy", message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Status_KubeconfigReadableOrMissing_SucceedsOrIsError50NamingIt()
    {
        Assert.Equal(0, _rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false), podName: null, netns: "").ExitCode);

        var (code, message) = RedirectRig.Error(_rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false, kubeconfig: "/nonexistent/kubeconfig"), podName: null, netns: ""));

        Assert.Equal(CniErrorCode.PluginNotAvailable, code);
        Assert.Contains("/nonexistent/kubeconfig", message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Explain_IstioAndPlainPod_PrintsDecisionAndRulesWithoutInstallingThemOrExits4ForNoCapture()
    {
        var result = ProcessRunner.Run(
            RepoPaths.Binary("sluice-redirect"),
            new Dictionary<string, string>(),
            null,
            ["explain", "--kubeconfig", _rig.Kubeconfig, "--namespace", "shop", "--pod", "reviews", "--profile", "istio"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("capture", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("istio-proxy", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("table inet sluice_capture", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());

        var plain = ProcessRunner.Run(
            RepoPaths.Binary("sluice-redirect"),
            new Dictionary<string, string>(),
            null,
            ["explain", "--kubeconfig", _rig.Kubeconfig, "--namespace", "shop", "--pod", "report", "--profile", "istio"]);
        Assert.Equal(4, plain.ExitCode);
    }
}

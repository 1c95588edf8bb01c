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
    public void Add_captures_an_enabled_pod_and_returns_prevResult_unchanged(string version)
    {
        var add = _rig.Run("ADD", _rig.Config(version: version));

        Assert.True(add.ExitCode == 0, add + _rig.Log());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RedirectRig.PrevResult(version, _rig.Pod.Path)), JsonNode.Parse(add.Stdout)), add.Stdout);
        Assert.Contains("table inet sluice_capture", _rig.CaptureRules(), StringComparison.Ordinal);
        Assert.Equal(1, _rig.Api.RequestCount(PodPath));
    }

    [RootFact]
    public void Add_without_prevResult_is_a_configuration_error_and_changes_nothing()
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
    public void Api_failure_fails_the_add_naming_pod_server_and_status(int status, int expectedRequests)
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
    public void Slow_api_fails_the_add_within_the_configured_total()
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
    public void Without_sluice_kube_beside_it_an_add_that_needs_the_api_fails_naming_the_missing_helper()
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
    public void A_lookup_helper_that_hangs_is_killed_after_the_total_bound_and_the_add_fails_closed()
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
    public void What_the_lookup_helper_says_when_it_fails_is_the_adds_error(string helperScript, string expected)
    {
        var binary = _rig.RedirectWithHelper("failing", helperScript);

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config(), binary: binary));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Malformed_json_from_the_api_fails_the_add()
    {
        _rig.Api.SetPod(RedirectRig.PodNamespace, "reviews", """{"kind":"Pod","metadata":{"name":"reviews",""");

        var (code, message) = RedirectRig.Error(_rig.Run("ADD", _rig.Config()));

        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, code);
        Assert.Contains("not a valid Pod", message, StringComparison.Ordinal);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Failure_policy_ignore_starts_the_pod_without_capture_and_says_so()
    {
        _rig.Api.FailNext(503, 100);

        var add = _rig.Run("ADD", _rig.Config(extra: ""","failurePolicy":"ignore" """));

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RedirectRig.PrevResult("1.0.0", _rig.Pod.Path)), JsonNode.Parse(add.Stdout)));
        Assert.Equal("", _rig.CaptureRules());
        Assert.Contains("failurePolicy is ignore", _rig.Log(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Rotated_token_is_read_from_the_token_file_on_the_next_call()
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
    public void Malformed_annotation_fails_closed_naming_the_annotation_and_the_value()
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
    public void Calls_outside_kubernetes_or_in_excluded_namespaces_pass_through_without_asking_the_api(string? pod, string ns)
    {
        var add = _rig.Run("ADD", _rig.Config(), podName: pod, podNamespace: ns);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Empty(_rig.Api.Requests);
        Assert.Equal("", _rig.CaptureRules());
    }

    [RootFact]
    public void Plain_pod_passes_through_after_the_lookup()
    {
        var add = _rig.Run("ADD", _rig.Config(), podName: "report");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("", _rig.CaptureRules());
        Assert.Contains("no capture", _rig.Log(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Del_removes_the_rules_and_succeeds_again_and_again()
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
    public void Del_succeeds_without_a_netns_without_prevResult_and_without_an_add(string netns)
    {
        var del = _rig.Run("DEL", _rig.Config(withPrevResult: false), netns: netns);

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Equal("", del.Stdout);
        Assert.Empty(_rig.Api.Requests);
    }

    [RootFact]
    public void Check_passes_for_installed_rules_and_names_the_difference_when_they_changed()
    {
        Assert.Equal(0, _rig.Run("ADD", _rig.Config()).ExitCode);
        Assert.Equal(0, _rig.Run("CHECK", _rig.Config()).ExitCode);

        _rig.Pod.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");
        var (code, message) = RedirectRig.Error(_rig.Run("CHECK", _rig.Config()));

        Assert.Equal(SluiceErrorCode.CheckFailed, code);
        Assert.Contains("differ from the pod's policy", message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Status_is_ready_with_a_readable_kubeconfig_and_error_50_without_one()
    {
        Assert.Equal(0, _rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false), podName: null, netns: "").ExitCode);

        var (code, message) = RedirectRig.Error(_rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false, kubeconfig: "/nonexistent/kubeconfig"), podName: null, netns: ""));

        Assert.Equal(CniErrorCode.PluginNotAvailable, code);
        Assert.Contains("/nonexistent/kubeconfig", message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Explain_prints_the_decision_its_reason_and_the_rules_without_changing_anything()
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

using Sluice.Kube.Models;
using Sluice.KubeTool;

namespace Sluice.Kube.Tests;

/// <summary><c>sluice-kube get-pod</c>, the lookup sluice-redirect hands off: what it prints, how it fails, what it refuses.</summary>
public sealed class SluiceKubeTests : FakeApiTest
{
    [Fact]
    public void GetPod_ExistingPod_PrintsJsonThePluginReadsBack()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);

        var (code, output, errors) = Run("get-pod", "--kubeconfig", KubeconfigPath(), "--namespace", "default", "--pod", "web-1");

        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        var pod = PodJson.Read(output);
        Assert.Equal("web-1", pod.Metadata.Name);
        Assert.Equal("msm", pod.Metadata.Annotations!["sluice.io/capture"]);
        Assert.Equal(1337, Assert.Single(pod.Spec.InitContainers).SecurityContext!.RunAsUser);
        Assert.Equal(["MODE", "POD_IP"], Assert.Single(pod.Spec.Containers).Env.Select(e => e.Name));
    }

    [Fact]
    public void GetPod_MissingPod_Exits1NamingPodAndStatusOnStderrOnly()
    {
        var (code, output, errors) = Run("get-pod", "--kubeconfig", KubeconfigPath(), "--namespace", "default", "--pod", "gone");

        Assert.Equal(SluiceKube.LookupFailed, code);
        Assert.Equal("", output);
        Assert.Contains("default/gone", errors, StringComparison.Ordinal);
        Assert.Contains("404", errors, StringComparison.Ordinal);
        Assert.Single(errors.TrimEnd().Split('\n'));
    }

    [Fact]
    public void GetPod_UnreadableKubeconfig_Exits1NamingPodAndFile()
    {
        var missing = Dir.Combine("no-such-kubeconfig");

        var (code, _, errors) = Run("get-pod", "--kubeconfig", missing, "--namespace", "default", "--pod", "web-1");

        Assert.Equal(SluiceKube.LookupFailed, code);
        Assert.StartsWith("looking up pod default/web-1: ", errors, StringComparison.Ordinal);
        Assert.Contains(missing, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPod_FailingServer_StopsAtTheAttemptsBound()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        Api.FailNext(500, 10);

        var (code, _, errors) = Run("get-pod", "--kubeconfig", KubeconfigPath(), "--namespace", "default", "--pod", "web-1", "--attempts", "2", "--request-timeout-ms", "5000", "--total-timeout-ms", "20000");

        Assert.Equal(SluiceKube.LookupFailed, code);
        Assert.Contains("500", errors, StringComparison.Ordinal);
        Assert.Equal(2, Api.RequestCount("/api/v1/namespaces/default/pods/web-1"));
    }

    [Theory]
    [InlineData(new string[0], "no command")]
    [InlineData(new[] { "list-pods" }, "unknown command 'list-pods'")]
    [InlineData(new[] { "get-pod", "--namespace", "default", "--pod", "web-1" }, "--kubeconfig is required")]
    [InlineData(new[] { "get-pod", "--kubeconfig", "/k", "--namespace", "default" }, "--pod is required")]
    [InlineData(new[] { "get-pod", "--kubeconfig", "/k", "--namespace", "default", "--pod", "web-1", "--attempts", "0" }, "--attempts: '0' is not a positive whole number")]
    [InlineData(new[] { "get-pod", "--kubeconfig", "/k", "--namespace", "default", "--pod", "web-1", "--total-timeout-ms", "1s" }, "--total-timeout-ms: '1s' is not a positive whole number")]
    [InlineData(new[] { "get-pod", "--kubeconfig", "/k", "--namespace", "default", "--pod", "web-1", "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new[] { "get-pod", "--kubeconfig", "/k", "--namespace", "default", "--pod" }, "--pod needs a value")]
    public void Run_IncompleteCommandLine_Exits2SayingWhatIsWrong(string[] arguments, string message)
    {
        var (code, output, errors) = Run(arguments);

        Assert.Equal(SluiceKube.BadUsage, code);
        Assert.Equal("", output);
        Assert.StartsWith($"sluice-kube: {message}", errors, StringComparison.Ordinal);
        Assert.Contains("Try 'sluice-kube --help'", errors, StringComparison.Ordinal);
        Assert.Empty(Api.Requests);
    }

    [Fact]
    public void GetPod_OptionsWithEqualsSign_AreRead()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);

        var (code, output, _) = Run("get-pod", $"--kubeconfig={KubeconfigPath()}", "--namespace=default", "--pod=web-1");

        Assert.Equal(0, code);
        Assert.Equal("web-1", PodJson.Read(output).Metadata.Name);
    }

    [Fact]
    public void Help_Requested_PrintsUsageAndExits0()
    {
        var (code, output, _) = Run("--help");

        Assert.Equal(0, code);
        Assert.StartsWith("Usage: sluice-kube get-pod", output, StringComparison.Ordinal);
    }

    private string KubeconfigPath() => Api.WriteKubeconfig(Dir.Combine("kubeconfig"));

    private static (int Code, string Output, string Errors) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = SluiceKube.Run(arguments, output, errors);
        return (code, output.ToString(), errors.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

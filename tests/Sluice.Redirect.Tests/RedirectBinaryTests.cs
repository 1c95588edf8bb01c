using Sluice.Redirect.Tests.Lab;

namespace Sluice.Redirect.Tests;

/// <summary>
/// The published sluice-redirect is linked statically (no dynamic loader at start), and nothing it
/// does loads a shared library at run time: a statically linked glibc program that did (dlopen, or
/// the name and user lookups that need glibc's shared modules) would depend on the node having the
/// same glibc it was built with.
/// </summary>
public sealed class RedirectBinaryTests : IDisposable
{
    private readonly RedirectRig _rig = new();

    public RedirectBinaryTests() =>
        _rig.Api.SetPod(RedirectRig.PodNamespace, "reviews", SamplePods.Istio(RedirectRig.PodNamespace, "reviews"));

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void PublishedPlugin_ProgramHeaders_HaveNoInterpreterAndNoDynamicSegment()
    {
        var segments = ElfProgramHeaders.SegmentTypes(RepoPaths.Binary("sluice-redirect"));

        Assert.NotEmpty(segments);
        Assert.DoesNotContain(ElfProgramHeaders.PtInterp, segments);
        Assert.DoesNotContain(ElfProgramHeaders.PtDynamic, segments);
    }

    [Fact]
    public void PublishedPlugin_CarriesNoYamlParser()
    {
        // Kubeconfigs are read by sluice-kube (YamlDotNet); the plugin only checks the file opens.
        var binary = File.ReadAllBytes(RepoPaths.Binary("sluice-redirect"));

        Assert.Equal(-1, binary.AsSpan().IndexOf("YamlDotNet"u8));
        Assert.NotEqual(-1, File.ReadAllBytes(RepoPaths.Binary("sluice-kube")).AsSpan().IndexOf("YamlDotNet"u8));
    }

    [RootFact]
    public void PublishedPlugin_EveryCommandUnderStrace_OpensNoSharedLibrary()
    {
        var traced = TraceEveryCommand();

        var opened = traced.Opens();
        Assert.True(opened.Any(path => path.StartsWith("/proc/", StringComparison.Ordinal)), "no open traced:\n" + traced.Dump());
        Assert.True(traced.SharedLibraryOpens().Count == 0, "a shared library was opened:\n" + traced.Dump());
    }

    [RootFact]
    public void PublishedPlugin_EveryCommandUnderStrace_ReadsNoMountTableCgroupOrCacheSize()
    {
        // The runtime's cgroup probes are linked out (src/native/skip-cgroup-probe.c): they read the
        // node's whole mount table at every start, which grows with the node's pods. gen0's budget
        // is given (src/PluginRuntime.props), so the GC reads no CPU cache sizes from sysfs.
        var traced = TraceEveryCommand();

        var opened = traced.Opens();
        Assert.NotEmpty(opened);
        Assert.True(traced.CgroupProbeOpens().Count == 0, "the runtime probed cgroups:\n" + traced.Dump());
        Assert.True(traced.CacheSizeOpens().Count == 0, "the GC read CPU cache sizes:\n" + traced.Dump());
    }

    [RootFact]
    public void PublishedPlugin_EverySuccessPath_NeverTakesTheRuntimesSlowPaths()
    {
        // As sluice-agent writes the chain (lookups on its socket, records to its log socket, info
        // level) and as the rig runs it (lookups through sluice-kube, debug to a file); capture is
        // installed, checked and removed in both. docs/benchmarks.md, "Nested interpolations".
        using var agent = new FakeAgentSockets(Path.GetDirectoryName(_rig.LogFile)!, SamplePods.Istio(RedirectRig.PodNamespace, "reviews"));
        var watch = new SlowPathWatch(Path.GetDirectoryName(_rig.LogFile)!, RepoPaths.Binary("sluice-redirect"), RepoPaths.PublishedSymbols("sluice-redirect"));
        var debugToFile = _rig.Config();
        var withAgent = debugToFile
            .Replace("\"excludeNamespaces\"", $"\"agentSocket\":\"{agent.PodSocket}\",\"nodeName\":\"node-a\",\"excludeNamespaces\"", StringComparison.Ordinal)
            .Replace($"\"logLevel\":\"debug\",\"logFile\":\"{_rig.LogFile}\"", $"\"logLevel\":\"info\",\"logSocket\":\"{agent.LogSocket}\"", StringComparison.Ordinal);
        Assert.Contains(agent.PodSocket, withAgent, StringComparison.Ordinal);
        Assert.Contains(agent.LogSocket, withAgent, StringComparison.Ordinal);

        foreach (var config in new[] { withAgent, debugToFile })
        {
            foreach (var command in new[] { "ADD", "CHECK", "DEL" })
            {
                var result = _rig.Run(command, config, binary: watch.Path);
                Assert.True(result.ExitCode == 0, $"{command}: {result}");
            }
        }

        Assert.True(agent.Served >= 2, $"the plugin asked the fake agent {agent.Served} times (ADD and CHECK look the pod up)");
        Assert.Contains("capture installed", File.ReadAllText(_rig.LogFile), StringComparison.Ordinal);
        Assert.True(watch.BreakpointsSet, "gdb did not set the breakpoints:\n" + watch.Log());
        Assert.True(watch.Taken() is null, watch.Taken());
    }

    /// <summary>ADD (which looks the pod up through sluice-kube, its own process, not counted), CHECK, DEL, STATUS, VERSION and explain, each under strace.</summary>
    private TracedExecutable TraceEveryCommand()
    {
        var traced = new TracedExecutable(Path.GetDirectoryName(_rig.LogFile)!, RepoPaths.Binary("sluice-redirect"));
        foreach (var command in new[] { "ADD", "CHECK", "DEL" })
        {
            var result = _rig.Run(command, _rig.Config(), binary: traced.Path);
            Assert.True(result.ExitCode == 0, $"{command}: {result}");
        }

        Assert.Equal(0, _rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false), podName: null, netns: "", binary: traced.Path).ExitCode);
        Assert.Equal(0, _rig.Run("VERSION", """{"cniVersion":"1.0.0"}""", podName: null, netns: "", binary: traced.Path).ExitCode);
        var explain = ProcessRunner.Run(traced.Path, new Dictionary<string, string>(), null, ["explain", "--kubeconfig", _rig.Kubeconfig, "--namespace", "shop", "--pod", "reviews", "--profile", "istio"]);
        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Equal(6, traced.Traces.Count);
        return traced;
    }
}

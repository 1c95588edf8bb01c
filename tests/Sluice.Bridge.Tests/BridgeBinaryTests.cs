namespace Sluice.Bridge.Tests;

/// <summary>
/// The published sluice-bridge, sluice-ipam and sluice-portmap (one executable) start as lean as
/// sluice-redirect: linked statically, loading no shared library, and without the .NET runtime's
/// cgroup probes, which read the node's whole mount table at every start (src/native/skip-cgroup-probe.c).
/// </summary>
public sealed class BridgeBinaryTests : IDisposable
{
    private readonly Testbed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("sluice-bridge")]
    [InlineData("sluice-ipam")]
    [InlineData("sluice-portmap")]
    public void PublishedPlugin_ProgramHeaders_HaveNoInterpreterAndNoDynamicSegment(string name)
    {
        var segments = ElfProgramHeaders.SegmentTypes(RepoPaths.Binary(name));

        Assert.NotEmpty(segments);
        Assert.DoesNotContain(ElfProgramHeaders.PtInterp, segments);
        Assert.DoesNotContain(ElfProgramHeaders.PtDynamic, segments);
    }

    [RootFact]
    public void PublishedBridge_EveryCommandUnderStrace_OpensNoSharedLibraryAndReadsNoMountTableOrCacheSize()
    {
        var traced = new TracedExecutable(_bed.TempPath, Testbed.Binary);
        var pod = _bed.NewPod();
        var add = _bed.Run("ADD", "ctr-traced", pod.Path, _bed.Config(), binary: traced.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        foreach (var command in new[] { "CHECK", "DEL" })
        {
            var result = _bed.Run(command, "ctr-traced", pod.Path, _bed.Config(",\"prevResult\":" + add.Stdout), binary: traced.Path);
            Assert.True(result.ExitCode == 0, $"{command}: {result}");
        }

        Assert.Equal(0, _bed.Run("STATUS", "", "", _bed.Config(), binary: traced.Path).ExitCode);
        Assert.Equal(0, _bed.Run("VERSION", "", "", """{"cniVersion":"1.0.0"}""", binary: traced.Path).ExitCode);

        Assert.Equal(5, traced.Traces.Count);
        var opened = traced.Opens();
        Assert.True(opened.Any(path => path.StartsWith("/proc/sys/", StringComparison.Ordinal)), "no open traced:\n" + traced.Dump());
        Assert.True(traced.SharedLibraryOpens().Count == 0, "a shared library was opened:\n" + traced.Dump());
        Assert.True(traced.CgroupProbeOpens().Count == 0, "the runtime probed cgroups:\n" + traced.Dump());
        Assert.True(traced.CacheSizeOpens().Count == 0, "the GC read CPU cache sizes:\n" + traced.Dump());
    }

    [RootFact]
    public void PublishedPlugins_EverySuccessPath_NeverTakesTheRuntimesSlowPaths()
    {
        // What a pod's network costs: sluice-bridge with its IPAM and hostPort step in process,
        // with and without masquerade; and sluice-ipam and sluice-portmap as plugins of their own.
        var symbols = RepoPaths.PublishedSymbols("sluice-bridge-ipam");
        var bridge = new SlowPathWatch(_bed.TempPath, Testbed.Binary, symbols);
        var ipam = new SlowPathWatch(_bed.TempPath, RepoPaths.Binary("sluice-ipam"), symbols);
        var portmap = new SlowPathWatch(_bed.TempPath, RepoPaths.Binary("sluice-portmap"), symbols);
        var withHostPort = _bed.Config(""","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":20301,"containerPort":80,"protocol":"tcp"}]}""");
        RunAll(bridge, "ctr-masq", _bed.NewPod().Path, withHostPort);
        RunAll(bridge, "ctr-plain", _bed.NewPod().Path, withHostPort.Replace("\"ipMasq\":true", "\"ipMasq\":false", StringComparison.Ordinal));

        RunAll(ipam, "ctr-ipam", _bed.NewPod().Path, $$"""{"cniVersion":"1.1.0","name":"podnet","type":"bridge","ipam":{{_bed.IpamSection()}}}""");

        var pod = _bed.NewPod();
        var primary = _bed.Add(pod, "ctr-portmap").ToJsonString();
        RunAll(portmap, "ctr-portmap", pod.Path, $$"""{"cniVersion":"1.1.0","name":"podnet","type":"sluice-portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":20302,"containerPort":80,"protocol":"tcp"}]},"prevResult":{{primary}}}""");
        _bed.Del("ctr-portmap", pod.Path);

        foreach (var watch in new[] { bridge, ipam, portmap })
        {
            Assert.True(watch.BreakpointsSet, "gdb did not set the breakpoints:\n" + watch.Log());
            Assert.True(watch.Taken() is null, watch.Taken());
        }
    }

    [RootFact]
    public void SlowPathWatch_AddThatFailsAndFormatsItsStackTrace_IsSeenRunningTheSpeedCheck()
    {
        // The watch can fail: a kernel refusal (a second default route in the pod) is translated into
        // an error whose stack trace is formatted inside an interpolation, which runs the check.
        var watch = new SlowPathWatch(_bed.TempPath, Testbed.Binary, RepoPaths.PublishedSymbols("sluice-bridge-ipam"));
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-first");

        var second = _bed.Run("ADD", "ctr-second", pod.Path, _bed.Config(), ifName: "eth1", binary: watch.Path);

        Assert.True(second.ExitCode != 0, second.ToString());
        Assert.True(watch.BreakpointsSet, watch.Log());
        Assert.True(watch.Hits(SlowPathWatch.SpeedCheck) > 0, "the failed ADD did not run the speed check:\n" + watch.Log());
    }

    /// <summary>ADD, CHECK with its result and DEL, each under the watch and each succeeding.</summary>
    private void RunAll(SlowPathWatch watch, string containerId, string netns, string config)
    {
        var add = _bed.Run("ADD", containerId, netns, config, binary: watch.Path);
        Assert.True(add.ExitCode == 0, $"ADD: {add}");
        var withResult = config[..config.LastIndexOf('}')] + ",\"prevResult\":" + add.Stdout + "}";
        var check = _bed.Run("CHECK", containerId, netns, withResult, binary: watch.Path);
        Assert.True(check.ExitCode == 0, $"CHECK: {check}");
        var del = _bed.Run("DEL", containerId, netns, withResult, binary: watch.Path);
        Assert.True(del.ExitCode == 0, $"DEL: {del}");
    }
}

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
}

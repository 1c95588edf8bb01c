using System.Buffers.Binary;
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
    private const uint PtDynamic = 2;
    private const uint PtInterp = 3;

    private readonly RedirectRig _rig = new();

    public RedirectBinaryTests() =>
        _rig.Api.SetPod(RedirectRig.PodNamespace, "reviews", SamplePods.Istio(RedirectRig.PodNamespace, "reviews"));

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void PublishedPlugin_ProgramHeaders_HaveNoInterpreterAndNoDynamicSegment()
    {
        var segments = SegmentTypes(RepoPaths.Binary("sluice-redirect"));

        Assert.NotEmpty(segments);
        Assert.DoesNotContain(PtInterp, segments);
        Assert.DoesNotContain(PtDynamic, segments);
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
        var trace = _rig.Combine("openat.trace");
        var traced = _rig.Combine("traced-redirect");
        File.WriteAllText(traced, $"#!/bin/sh\nexec strace -f -qq -e trace=openat,open,execve -o {trace}.$$ {RepoPaths.Binary("sluice-redirect")} \"$@\"\n");
        File.SetUnixFileMode(traced, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // ADD looks the pod up through sluice-kube (its own process, not counted) and installs the rules.
        foreach (var command in new[] { "ADD", "CHECK", "DEL" })
        {
            var result = _rig.Run(command, _rig.Config(), binary: traced);
            Assert.True(result.ExitCode == 0, $"{command}: {result}");
        }

        Assert.Equal(0, _rig.Run("STATUS", _rig.Config(version: "1.1.0", withPrevResult: false), podName: null, netns: "", binary: traced).ExitCode);
        Assert.Equal(0, _rig.Run("VERSION", """{"cniVersion":"1.0.0"}""", podName: null, netns: "", binary: traced).ExitCode);
        var explain = ProcessRunner.Run(traced, new Dictionary<string, string>(), null, ["explain", "--kubeconfig", _rig.Kubeconfig, "--namespace", "shop", "--pod", "reviews", "--profile", "istio"]);
        Assert.True(explain.ExitCode == 0, explain.ToString());

        var traces = Directory.GetFiles(Path.GetDirectoryName(trace)!, "openat.trace.*");
        Assert.Equal(6, traces.Length);
        var opened = traces.SelectMany(PluginOpens).ToList();
        var seen = string.Join("\n", traces.Select(t => $"== {t}\n{File.ReadAllText(t)}"));
        Assert.True(opened.Any(path => path.StartsWith("/proc/", StringComparison.Ordinal)), "no open traced:\n" + seen);
        Assert.True(!opened.Any(path => path.Contains(".so", StringComparison.Ordinal)), "a shared library was opened:\n" + seen);
    }

    /// <summary>The paths the plugin's own threads opened: a pid that ran execve after the first (sluice-kube) is someone else.</summary>
    private static IEnumerable<string> PluginOpens(string trace)
    {
        // strace pads the pid to a fixed width: "5433  openat(...)" as well as "15433 openat(...)".
        var lines = File.ReadAllLines(trace).Select(line => line.Split(' ', 2)).Where(parts => parts.Length == 2).Select(parts => (string[])[parts[0], parts[1].TrimStart()]).ToList();
        var helpers = lines.Skip(1).Where(parts => parts[1].StartsWith("execve(", StringComparison.Ordinal)).Select(parts => parts[0]).ToHashSet(StringComparer.Ordinal);
        return lines
            .Where(parts => !helpers.Contains(parts[0]) && parts[1].StartsWith("open", StringComparison.Ordinal))
            .Select(parts => parts[1].Split('"') is [_, var path, ..] ? path : "");
    }

    /// <summary>p_type of every program header of a 64-bit little-endian ELF file.</summary>
    private static List<uint> SegmentTypes(string path)
    {
        var elf = File.ReadAllBytes(path);
        Assert.True(elf.AsSpan(0, 4).SequenceEqual("\u007fELF"u8), $"{path} is not an ELF file");
        var offset = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        var size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)offset + (i * size)))).ToList();
    }
}

namespace Sluice.TestSupport;

/// <summary>
/// A wrapper script that runs a published executable under strace, tracing the files it opens and
/// the programs it runs, one trace file per invocation; and the paths that executable opened itself.
/// The wrapper execs the executable by its own path, so a multi-call binary still sees its name.
/// </summary>
public sealed class TracedExecutable
{
    private readonly string _tracePrefix;

    public TracedExecutable(string directory, string executable)
    {
        Executable = executable;
        Path = System.IO.Path.Combine(directory, "traced-" + System.IO.Path.GetFileName(executable));
        _tracePrefix = System.IO.Path.Combine(directory, System.IO.Path.GetFileName(executable) + ".openat");
        File.WriteAllText(Path, $"#!/bin/sh\nexec strace -f -qq -e trace=openat,open,execve -o {_tracePrefix}.$$ {executable} \"$@\"\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The executable that runs under strace.</summary>
    public string Executable { get; }

    /// <summary>The wrapper to run in its place.</summary>
    public string Path { get; }

    /// <summary>One trace file per invocation so far.</summary>
    public IReadOnlyList<string> Traces =>
        Directory.GetFiles(System.IO.Path.GetDirectoryName(_tracePrefix)!, System.IO.Path.GetFileName(_tracePrefix) + ".*");

    /// <summary>Every path the executable's own processes opened, over all invocations (programs it ran are not counted).</summary>
    public IReadOnlyList<string> Opens() => Traces.SelectMany(OwnOpens).ToList();

    /// <summary>The shared libraries the executable opened (a static plugin opens none).</summary>
    public IReadOnlyList<string> SharedLibraryOpens() => Opens().Where(path => path.Contains(".so", StringComparison.Ordinal)).ToList();

    /// <summary>The mount table and cgroup files the executable opened: the .NET runtime's cgroup probes (linked out of the plugins).</summary>
    public IReadOnlyList<string> CgroupProbeOpens() =>
        Opens().Where(path => path.Contains("mountinfo", StringComparison.Ordinal) || path.Contains("cgroup", StringComparison.Ordinal)).ToList();

    /// <summary>The CPU cache descriptions the executable opened: what the GC reads at start to size gen0 when no budget is given.</summary>
    public IReadOnlyList<string> CacheSizeOpens() =>
        Opens().Where(path => path.StartsWith("/sys/devices/system/cpu/", StringComparison.Ordinal) && path.Contains("/cache/", StringComparison.Ordinal)).ToList();

    /// <summary>All traces, for an assertion's message.</summary>
    public string Dump() => string.Join("\n", Traces.Select(t => $"== {t}\n{File.ReadAllText(t)}"));

    /// <summary>The paths a trace's own processes opened: a pid that ran execve after the first is another program.</summary>
    private static IEnumerable<string> OwnOpens(string trace)
    {
        // strace pads the pid to a fixed width: "5433  openat(...)" as well as "15433 openat(...)".
        var lines = File.ReadAllLines(trace).Select(line => line.Split(' ', 2)).Where(parts => parts.Length == 2).Select(parts => (string[])[parts[0], parts[1].TrimStart()]).ToList();
        var others = lines.Skip(1).Where(parts => parts[1].StartsWith("execve(", StringComparison.Ordinal)).Select(parts => parts[0]).ToHashSet(StringComparer.Ordinal);
        return lines
            .Where(parts => !others.Contains(parts[0]) && parts[1].StartsWith("open", StringComparison.Ordinal))
            .Select(parts => parts[1].Split('"') is [_, var path, ..] ? path : "");
    }
}

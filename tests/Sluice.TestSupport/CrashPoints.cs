using System.Text.RegularExpressions;

namespace Sluice.TestSupport;

/// <summary>
/// A point at which a program can be killed: just before its <see cref="Call"/>-th call of
/// <see cref="Syscall"/> (counted per thread, as strace counts them).
/// </summary>
public sealed record CrashPoint(string Syscall, int Call)
{
    public override string ToString() => $"killed before {Syscall} #{Call}";
}

/// <summary>
/// Kills a program at chosen points of its run, deterministically, with strace's fault injection:
/// SIGKILL at a syscall's entry, so the call does not happen and nothing after it runs. A test
/// traces one whole run to find every point where durable work could be left half done (before each
/// call that changes something, and before the exit), then crashes a run at each of them in turn.
/// Unlike a kill after a random delay, every point is hit, on a loaded machine as on an idle one.
/// </summary>
public static partial class CrashPoints
{
    public const string Strace = "/usr/bin/strace";

    /// <summary>The calls that change files, and the exit: between two of them, nothing durable changes.</summary>
    public static readonly IReadOnlyList<string> FileChanges =
    [
        "mkdir", "mkdirat", "open", "openat", "creat", "write", "writev", "pwrite64", "ftruncate", "fsync", "fdatasync",
        "rename", "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat", "exit_group",
    ];

    /// <summary>
    /// <paramref name="syscalls"/> and the netlink sends too: every request to the kernel's routing
    /// or firewall tables is one of them.
    /// </summary>
    public static IReadOnlyList<string> WithNetlinkSends(IReadOnlyList<string> syscalls) => [.. syscalls, "sendto", "sendmsg"];

    /// <summary>The arguments that run <paramref name="executable"/> under strace, listing each call of <paramref name="syscalls"/> in <paramref name="traceFile"/>.</summary>
    public static IReadOnlyList<string> TracingArguments(string executable, IReadOnlyList<string> syscalls, string traceFile) =>
        ["-f", "-qq", "-e", "trace=" + string.Join(',', syscalls), "-o", traceFile, executable];

    /// <summary>The arguments that run <paramref name="executable"/> under strace, killed at <paramref name="point"/>.</summary>
    public static IReadOnlyList<string> KillingArguments(string executable, CrashPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return ["-f", "-qq", "-o", "/dev/null", "-e", $"inject={point.Syscall}:signal=KILL:when={point.Call}", executable];
    }

    /// <summary>
    /// Every point of a run traced with <see cref="TracingArguments"/>: for each syscall, before its
    /// first, second, … call, up to the most calls one thread made.
    /// <para>
    /// A call the kernel restarts (<c>ERESTARTNOINTR</c> and the like) is one call, however often it
    /// is entered: writing an IPv6 interface sysctl, for one, restarts while another task holds the
    /// rtnl lock, a dozen times on a busy node, and a traced run that counted those entries would
    /// list points a quieter run never reaches. strace's fault injection counts entries, restarts
    /// included, so in a run that restarts a call the kill lands that much earlier: still before a
    /// call that changes something, and still a kill.
    /// </para>
    /// </summary>
    public static IReadOnlyList<CrashPoint> FromTrace(string traceFile)
    {
        var calls = new Dictionary<(string Pid, string Syscall), int>();
        foreach (var line in File.ReadLines(traceFile))
        {
            // "1234  openat(AT_FDCWD, …" counts; "1234  <... openat resumed>…", "--- SIG…" and
            // "+++ exited…" do not. A restarted entry is taken back, whether strace printed its
            // end on the same line or on a "resumed" line after another thread's.
            if (TraceLine().Match(line) is { Success: true } match)
            {
                var key = (match.Groups["pid"].Value, match.Groups["syscall"].Value);
                calls[key] = calls.GetValueOrDefault(key) + 1;
            }

            if (Restarted().Match(line) is { Success: true } restarted)
            {
                var key = (restarted.Groups["pid"].Value, restarted.Groups["syscall"].Value);
                calls[key] = calls.GetValueOrDefault(key) - 1;
            }
        }

        return calls
            .GroupBy(entry => entry.Key.Syscall, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .SelectMany(group => Enumerable.Range(1, group.Max(entry => entry.Value)).Select(call => new CrashPoint(group.Key, call)))
            .ToList();
    }

    /// <summary>Whether the run died of the injected kill (strace ends with its tracee's signal).</summary>
    public static bool Killed(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ExitCode == 128 + 9;
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<syscall>[a-z0-9_]+)\(")]
    private static partial Regex TraceLine();

    /// <summary>
    /// The end of a call interrupted before it did anything ("= ? ERESTARTNOINTR (To be restarted)",
    /// ERESTARTSYS and the others alike), on the call's line or on its "resumed" line.
    /// </summary>
    [GeneratedRegex(@"^(?<pid>\d+)\s+(?:<\.\.\. )?(?<syscall>[a-z0-9_]+)[( ].*= \? ERESTART[A-Z_]+ \(")]
    private static partial Regex Restarted();
}

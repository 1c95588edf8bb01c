using System.Diagnostics;
using Sluice.Linux.Namespaces;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// One process run as a container runtime runs a plugin (exactly the given environment, raw bytes
/// on stdin), started inside a namespace, optionally killed with SIGKILL after a delay.
/// </summary>
internal static class PluginRun
{
    /// <summary>Exit code a process killed by a signal reports (128 + signal number).</summary>
    public const int SignalBase = 128;

    /// <summary>Runs <paramref name="file"/> in <paramref name="ns"/>; kills it after <paramref name="killAfter"/> if it is still running.</summary>
    public static Outcome Run(
        NetNs ns,
        string file,
        IReadOnlyDictionary<string, string> environment,
        byte[] stdin,
        IEnumerable<string>? arguments = null,
        TimeSpan? killAfter = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null) =>
        ns.Run(() => RunHere(file, environment, stdin, arguments, killAfter, timeout ?? TimeSpan.FromSeconds(30), workingDirectory));

    private static Outcome RunHere(
        string file,
        IReadOnlyDictionary<string, string> environment,
        byte[] stdin,
        IEnumerable<string>? arguments,
        TimeSpan? killAfter,
        TimeSpan timeout,
        string? workingDirectory)
    {
        var start = ProcessRunner.StartInfo(file, environment, arguments, workingDirectory: workingDirectory);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited (or was killed) without reading all of its input.
        }

        var killed = false;
        if (killAfter is { } delay)
        {
            var remaining = delay - watch.Elapsed;
            if (!process.WaitForExit(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
            {
                process.Kill();
                killed = true;
            }
        }

        var timedOut = false;
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            timedOut = true;
        }

        process.WaitForExit();
        var elapsed = watch.Elapsed;

        // Killed means the SIGKILL found it running: it reports 128 + 9, not its own exit code.
        killed = killed && process.ExitCode == SignalBase + 9;
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result, elapsed, killed, timedOut);
    }

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool Killed, bool TimedOut)
    {
        public override string ToString() =>
            $"exit {ExitCode}{(Killed ? " (killed)" : "")}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalMilliseconds:F1} ms\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }
}

using System.Diagnostics;
using System.Text;

namespace Sluice.TestSupport;

/// <summary>Runs an executable the way a container runtime does: a chosen environment, bytes on stdin, stdout and stderr kept apart.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="file"/> with exactly <paramref name="environment"/> (plus PATH), writing
    /// <paramref name="stdin"/> and waiting at most <paramref name="timeout"/> (default 60 s).
    /// </summary>
    public static ProcessResult Run(
        string file,
        IReadOnlyDictionary<string, string> environment,
        string? stdin = null,
        IEnumerable<string>? arguments = null,
        TimeSpan? timeout = null,
        bool inheritEnvironment = false,
        string? workingDirectory = null)
    {
        var start = StartInfo(file, environment, arguments, inheritEnvironment, workingDirectory);
        var watch = Stopwatch.StartNew();
        return Finish(Start(start), file, stdin, timeout, watch);
    }

    /// <summary>
    /// Starts the process, again when the kernel says its executable is busy (ETXTBSY): a test that
    /// has just copied an executable can lose the race with a fork in another test thread, whose
    /// child holds the copy's write descriptor until it execs. Retried for about a second.
    /// </summary>
    private static Process Start(ProcessStartInfo start)
    {
        const int TextFileBusy = 26;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception error) when (error.NativeErrorCode == TextFileBusy && attempt < 20)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Feeds a started process its input, reads its output and waits for it (see <see cref="Run"/>).</summary>
    private static ProcessResult Finish(Process started, string file, string? stdin, TimeSpan? timeout, Stopwatch watch)
    {
        using var process = started;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading its input.
        }

        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }

    /// <summary>
    /// How <see cref="Run"/> starts a process: all three standard streams redirected, the given
    /// arguments, and exactly <paramref name="environment"/> plus PATH (or the current environment
    /// with it, for <paramref name="inheritEnvironment"/>).
    /// </summary>
    public static ProcessStartInfo StartInfo(
        string file,
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string>? arguments = null,
        bool inheritEnvironment = false,
        string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>
    /// Like <see cref="Run"/>, but the process starts inside <paramref name="ns"/> (forked from a
    /// thread that entered it). Only the start happens inside: its output is read asynchronously,
    /// and work queued from inside a namespace could leave a thread-pool worker there (NetNs).
    /// </summary>
    public static ProcessResult RunIn(
        Sluice.Linux.Namespaces.NetNs ns,
        string file,
        IReadOnlyDictionary<string, string> environment,
        string? stdin = null,
        IEnumerable<string>? arguments = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var start = StartInfo(file, environment, arguments);
        var watch = Stopwatch.StartNew();
        return Finish(ns.Run(() => Start(start)), file, stdin, timeout, watch);
    }

    /// <summary>Runs a command with the current environment and fails the test when it exits non-zero.</summary>
    public static string Check(string file, params string[] arguments)
    {
        var result = Run(file, new Dictionary<string, string>(), null, arguments, inheritEnvironment: true);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {result}");
    }
}

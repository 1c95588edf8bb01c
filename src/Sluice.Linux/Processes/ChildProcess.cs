using System.ComponentModel;
using System.Diagnostics;

namespace Sluice.Linux.Processes;

/// <summary>What a finished child printed and how it ended.</summary>
public sealed record ChildOutput(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs a program with an argument list (never a shell string): its input given and closed, its
/// output and errors captured, for at most a time limit, after which it is killed and waited for.
/// </summary>
public static class ChildProcess
{
    /// <returns>How the child ended; null when it ran past <paramref name="limit"/>.</returns>
    /// <exception cref="Win32Exception">The program cannot be started (missing, not executable).</exception>
    public static ChildOutput? Run(string file, IEnumerable<string> arguments, string input, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new Win32Exception($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Exited before reading its input; the exit code says why.
        }

        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return null;
        }

        // The second wait returns once the output has been read to its end.
        process.WaitForExit();
        return new ChildOutput(process.ExitCode, stdout.Result, stderr.Result);
    }
}

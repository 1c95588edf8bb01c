using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Sluice.Linux.Processes;

/// <summary>
/// Runs a program with an argument list (never a shell string): its input given and closed, its
/// output and errors captured (up to a bound, if one is given), for at most a time limit, after
/// which it is killed and waited for.
/// </summary>
public static class ChildProcess
{
    /// <returns>How the child ended; null when it ran past <paramref name="limit"/>.</returns>
    /// <exception cref="Win32Exception">The program cannot be started (missing, not executable).</exception>
    public static ChildOutput? Run(string file, IEnumerable<string> arguments, string input, TimeSpan limit, ChildOptions? options = null)
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

        foreach (var (name, value) in options?.Environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new Win32Exception($"{file} did not start");
        var max = options?.MaxOutputChars ?? int.MaxValue;
        var stdout = Read(process.StandardOutput, max, process);
        var stderr = Read(process.StandardError, max, process);
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
        var (output, outputCut) = stdout.Result;
        var (errors, errorsCut) = stderr.Result;
        return new ChildOutput(process.ExitCode, output, errors, outputCut || errorsCut);
    }

    /// <summary>Reads a stream to its end, or kills the child once it has printed more than <paramref name="max"/> characters.</summary>
    private static async Task<(string Text, bool Cut)> Read(StreamReader reader, int max, Process process)
    {
        if (max == int.MaxValue)
        {
            return (await reader.ReadToEndAsync().ConfigureAwait(false), false);
        }

        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > max)
            {
                text.Append(buffer, 0, max - text.Length);
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                return (text.ToString(), true);
            }

            text.Append(buffer, 0, read);
        }

        return (text.ToString(), false);
    }
}

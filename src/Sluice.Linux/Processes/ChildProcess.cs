using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Sluice.Linux.Processes;

/// <summary>What a finished child printed and how it ended.</summary>
/// <param name="OutputCut">The child printed more than <see cref="ChildRequest.MaxOutput"/> and was killed; the output is its first part.</param>
public sealed record ChildOutput(int ExitCode, byte[] StdoutBytes, string Stderr, bool OutputCut = false)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
}

/// <summary>One program run: an absolute path and an argument list (never a shell string), and what it gets.</summary>
public sealed record ChildRequest(string File, IReadOnlyList<string> Arguments)
{
    /// <summary>Given on stdin, which is then closed.</summary>
    public ReadOnlyMemory<byte> Input { get; init; }

    /// <summary>Variables set (or replaced) in the child's environment on top of ours; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The child writes its stderr straight to ours instead of having it captured.</summary>
    public bool ForwardStderr { get; init; }

    /// <summary>How long the child may run before it is killed.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most bytes kept from each of stdout and stderr; a child printing more is killed (<see cref="ChildOutput.OutputCut"/>).</summary>
    public int MaxOutput { get; init; } = 64 * 1024 * 1024;
}

/// <summary>
/// Runs a program: its input given and closed, its output and errors captured (bounded), for at
/// most a time limit, after which it is killed and waited for. The program is named by an
/// absolute path (<see cref="ProgramPath"/> finds the system's tools): never looked up in the
/// working directory or beside this executable, as a bare name would be.
/// </summary>
public static class ChildProcess
{
    /// <inheritdoc cref="Run(ChildRequest)"/>
    public static ChildOutput? Run(string file, IEnumerable<string> arguments, string input, TimeSpan limit) =>
        Run(new ChildRequest(file, [.. arguments]) { Input = Encoding.UTF8.GetBytes(input), Limit = limit });

    /// <returns>How the child ended; null when it ran past its limit.</returns>
    /// <exception cref="Win32Exception">The program cannot be started (missing, not executable).</exception>
    /// <exception cref="ArgumentException">The program is not named by an absolute path.</exception>
    public static ChildOutput? Run(ChildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Path.IsPathFullyQualified(request.File))
        {
            throw new ArgumentException($"'{request.File}' is not an absolute path; programs are never looked up by bare name", nameof(request));
        }

        using var process = Process.Start(StartInfo(request)) ?? throw new Win32Exception($"{request.File} did not start");
        var stdout = BoundedCopy(process.StandardOutput.BaseStream, request.MaxOutput, process);
        var stderr = request.ForwardStderr ? Task.FromResult<(byte[], bool)>(([], false)) : BoundedCopy(process.StandardError.BaseStream, request.MaxOutput, process);
        WriteInput(process, request.Input.Span);

        if (!process.WaitForExit(request.Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return null;
        }

        // The second wait returns once the output has been read to its end.
        process.WaitForExit();
        var (output, outputCut) = stdout.Result;
        var (errors, errorsCut) = stderr.Result;
        return new ChildOutput(process.ExitCode, output, Encoding.UTF8.GetString(errors), outputCut || errorsCut);
    }

    private static ProcessStartInfo StartInfo(ChildRequest request)
    {
        var start = new ProcessStartInfo(request.File)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = !request.ForwardStderr,
        };
        foreach (var argument in request.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    /// <summary>Gives the child its input; one that exits without reading it (EPIPE) is judged by its exit code.</summary>
    private static void WriteInput(Process process, ReadOnlySpan<byte> input)
    {
        try
        {
            using var stdin = process.StandardInput.BaseStream;
            stdin.Write(input);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// The stream to its end, or its first <paramref name="limit"/> bytes once the child has printed
    /// more (the child is then killed). Copied on a thread of its own that ends with the stream, not
    /// on the thread pool: callers run children from inside a pod's namespace, a new thread inherits
    /// the namespace of the thread that creates it, and the pool creates its workers from whichever
    /// thread queues work, so a queued copy could leave a pool thread in that namespace for later,
    /// unrelated work (sockets opened there would reach the pod's network, not the node's).
    /// </summary>
    private static Task<(byte[] Bytes, bool Cut)> BoundedCopy(Stream stream, int limit, Process process) => Task.Factory.StartNew(() =>
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                buffer.Write(chunk.AsSpan(0, limit - (int)buffer.Length));
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk.AsSpan(0, read));
        }

        return (buffer.ToArray(), false);
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

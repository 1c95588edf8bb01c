namespace Sluice.Cni.Plugin;

/// <summary>
/// What a plugin invocation reads and writes. Passed in (never taken from globals) so tests
/// drive the dispatcher without touching the process environment.
/// </summary>
public sealed record CniIo(Func<string, string?> GetEnv, Stream Stdin, Stream Stdout, TextWriter Stderr)
{
    /// <summary>
    /// The process's own stdin, stdout and stderr as plain file streams over descriptors 0–2
    /// (Console's streams would set up terminal handling, a thread and signal handlers, that a
    /// plugin never needs). A terminal on stdin reads as empty input, so a person running the
    /// binary by hand gets an answer instead of a hang.
    /// </summary>
    public static CniIo ForProcess()
    {
        var stdin = Console.IsInputRedirected ? Descriptor(0, FileAccess.Read) : Stream.Null;
        var stderr = new StreamWriter(Descriptor(2, FileAccess.Write)) { AutoFlush = true };
        return new CniIo(Environment.GetEnvironmentVariable, stdin, Descriptor(1, FileAccess.Write), stderr);
    }

    private static FileStream Descriptor(int fd, FileAccess access) =>
        new(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
}

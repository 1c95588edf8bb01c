namespace Sluice.Cni.Plugin;

/// <summary>
/// What a plugin invocation reads and writes. Passed in (never taken from globals) so tests
/// drive the dispatcher without touching the process environment.
/// </summary>
public sealed record CniIo(Func<string, string?> GetEnv, Stream Stdin, Stream Stdout, TextWriter Stderr)
{
    public static CniIo ForProcess()
    {
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var stdin = Console.IsInputRedirected ? Console.OpenStandardInput() : Stream.Null;
        return new CniIo(Environment.GetEnvironmentVariable, stdin, Console.OpenStandardOutput(), stderr);
    }
}

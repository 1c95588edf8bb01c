namespace Sluice.TestSupport;

/// <summary>
/// A wrapper script that runs a published executable under gdb with breakpoints on three slow paths
/// of the .NET runtime and its libraries that a per-pod plugin's success paths must never take, and records every
/// hit by name:
/// <list type="bullet">
/// <item><see cref="SpeedCheck"/>: the processor-number speed check (ProcessorIdCache's static
/// constructor), about 0.35 ms, run the first time a shared array pool needs a processor number,
/// as with an interpolated string formatted inside another (docs/benchmarks.md, "Nested interpolations").</item>
/// <item><see cref="GenericVirtualLookup"/>: a generic virtual method resolved at run time, which
/// can build types at run time: in LINQ, a <c>Select</c> after another operator
/// (docs/benchmarks.md, "Generic virtual calls").</item>
/// <item><see cref="EncoderTables"/>: a JSON encoder's escaping tables built, about a million
/// instructions, as when a <c>Utf8JsonWriter</c> or the serializer escapes with
/// <c>JavaScriptEncoder.Default</c> (Sluice.Cni's LazyDefaultEncoder builds them only for a string
/// that needs escaping).</item>
/// </list>
/// <para>
/// The breakpoints are set by name from the symbols the publish step leaves beside the binary
/// (artifacts/publish/*.dbg); a name that is not there fails the run instead of passing it. The
/// executable's stdin, stdout and exit code are its own: gdb's output goes to a file of its own.
/// </para>
/// </summary>
public sealed class SlowPathWatch
{
    /// <summary>The speed check's symbol in a NativeAOT executable of .NET 9.</summary>
    public const string SpeedCheck = "S_P_CoreLib_System_Threading_ProcessorIdCache___cctor";

    /// <summary>The run-time lookup of a generic virtual method that missed the process's cache.</summary>
    public const string GenericVirtualLookup = "S_P_CoreLib_System_Runtime_TypeLoaderExports__GVMLookupForSlotSlow";

    /// <summary>A JSON encoder's escaping tables built (JavaScriptEncoder.Default or another), about a million instructions.</summary>
    public const string EncoderTables = "System_Text_Encodings_Web_System_Text_Encodings_Web_OptimizedInboxTextEncoder___ctor";

    private static readonly string[] Watched = [SpeedCheck, GenericVirtualLookup, EncoderTables];

    private readonly string _hits;
    private readonly string _gdbLog;

    /// <param name="directory">Where the wrapper, its gdb script and its records go.</param>
    /// <param name="executable">The published executable (artifacts/bin).</param>
    /// <param name="symbols">Its symbols (artifacts/publish/*.dbg).</param>
    public SlowPathWatch(string directory, string executable, string symbols)
    {
        if (!File.Exists(symbols))
        {
            throw new FileNotFoundException($"{symbols} is missing: 'make build' leaves the published executables' symbols in artifacts/publish", symbols);
        }

        var name = System.IO.Path.GetFileName(executable);
        Path = System.IO.Path.Combine(directory, "watched-" + name);
        _hits = System.IO.Path.Combine(directory, name + ".slow-path-hits");
        _gdbLog = System.IO.Path.Combine(directory, name + ".gdb.log");
        var script = System.IO.Path.Combine(directory, name + ".gdb");

        // On a hit: its name, then the return addresses on the stack, symbolized, name the caller; then on.
        var breakpoints = string.Concat(Watched.Select(symbol => $$"""
            break {{symbol}}
            commands
              silent
              shell echo {{symbol}} >> {{_hits}}
              printf "hit {{symbol}}\n"
              x/48a $sp
              continue
            end

            """));
        File.WriteAllText(script, $$"""
            set pagination off
            set confirm off
            set logging file {{_gdbLog}}
            set logging overwrite off
            set logging redirect on
            set logging enabled on
            symbol-file {{symbols}}
            {{breakpoints}}run
            quit $_exitcode

            """);
        File.WriteAllText(Path, $"#!/bin/sh\nexec gdb -q -batch -nx -x {script} --args {executable} \"$@\"\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The wrapper to run in place of the executable.</summary>
    public string Path { get; }

    /// <summary>How many times <paramref name="symbol"/> was entered, over every run so far.</summary>
    public int Hits(string symbol) => File.Exists(_hits) ? File.ReadAllLines(_hits).Count(line => line == symbol) : 0;

    /// <summary>Whether gdb set every breakpoint in every run so far (false: a symbol is gone, and the watch proves nothing).</summary>
    public bool BreakpointsSet
    {
        get
        {
            if (!File.Exists(_gdbLog))
            {
                return false;
            }

            var log = File.ReadAllText(_gdbLog);
            return log.Contains("Breakpoint 1 at ", StringComparison.Ordinal) && log.Contains($"Breakpoint {Watched.Length} at ", StringComparison.Ordinal)
                && !log.Contains("not defined", StringComparison.Ordinal);
        }
    }

    /// <summary>gdb's log of every run, with the stacks of the hits, for an assertion's message.</summary>
    public string Log() => File.Exists(_gdbLog) ? File.ReadAllText(_gdbLog) : "(no gdb log)";

    /// <summary>The assertion message when a slow path was taken, else null.</summary>
    public string? Taken()
    {
        var taken = Watched.Where(symbol => Hits(symbol) > 0).Select(symbol => $"{symbol}: {Hits(symbol)} times").ToList();
        return taken.Count == 0 ? null : $"{Path} took the runtime's slow paths ({string.Join(", ", taken)}); the stacks:\n{Log()}";
    }
}

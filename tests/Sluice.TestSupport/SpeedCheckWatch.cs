namespace Sluice.TestSupport;

/// <summary>
/// A wrapper script that runs a published executable under gdb with a breakpoint on the .NET
/// runtime's processor-number speed check (the static constructor of ProcessorIdCache), and
/// records every time that breakpoint is hit. The check runs once per process, the first time the
/// runtime's shared array pools need a processor number: when an array goes back to a pool whose
/// per-thread slot is taken, as with an interpolated string formatted inside another. It costs a
/// plugin about 0.35 ms of its start (docs/benchmarks.md, "Nested interpolations"), so the
/// success paths of the per-pod plugins must never run it.
/// <para>
/// The breakpoint is set by name from the symbols the publish step leaves beside the binary
/// (artifacts/publish/*.dbg); a name that is not there fails the run instead of passing it. The
/// executable's stdin, stdout and exit code are its own: gdb's output goes to a file of its own.
/// </para>
/// </summary>
public sealed class SpeedCheckWatch
{
    /// <summary>The check's symbol in a NativeAOT executable of .NET 9.</summary>
    public const string SpeedCheckSymbol = "S_P_CoreLib_System_Threading_ProcessorIdCache___cctor";

    private readonly string _hits;
    private readonly string _gdbLog;

    /// <param name="directory">Where the wrapper, its gdb script and its records go.</param>
    /// <param name="executable">The published executable (artifacts/bin).</param>
    /// <param name="symbols">Its symbols (artifacts/publish/*.dbg).</param>
    public SpeedCheckWatch(string directory, string executable, string symbols)
    {
        if (!File.Exists(symbols))
        {
            throw new FileNotFoundException($"{symbols} is missing: 'make build' leaves the published executables' symbols in artifacts/publish", symbols);
        }

        var name = System.IO.Path.GetFileName(executable);
        Path = System.IO.Path.Combine(directory, "watched-" + name);
        _hits = System.IO.Path.Combine(directory, name + ".speed-check-hits");
        _gdbLog = System.IO.Path.Combine(directory, name + ".gdb.log");
        var script = System.IO.Path.Combine(directory, name + ".gdb");

        // On a hit: the return addresses on the stack, symbolized, name the caller; then on.
        File.WriteAllText(script, $$"""
            set pagination off
            set confirm off
            set logging file {{_gdbLog}}
            set logging overwrite off
            set logging redirect on
            set logging enabled on
            symbol-file {{symbols}}
            break {{SpeedCheckSymbol}}
            commands
              silent
              shell echo hit >> {{_hits}}
              x/48a $sp
              continue
            end
            run
            quit $_exitcode

            """);
        File.WriteAllText(Path, $"#!/bin/sh\nexec gdb -q -batch -nx -x {script} --args {executable} \"$@\"\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The wrapper to run in place of the executable.</summary>
    public string Path { get; }

    /// <summary>How many times the speed check ran, over every run so far.</summary>
    public int Hits => File.Exists(_hits) ? File.ReadAllLines(_hits).Length : 0;

    /// <summary>Whether gdb set the breakpoint in every run so far (false: the symbol is gone, and the watch proves nothing).</summary>
    public bool BreakpointSet => File.Exists(_gdbLog) && File.ReadAllText(_gdbLog).Contains("Breakpoint 1 at ", StringComparison.Ordinal)
        && !File.ReadAllText(_gdbLog).Contains("not defined", StringComparison.Ordinal);

    /// <summary>gdb's log of every run, with the stacks of the hits, for an assertion's message.</summary>
    public string Log() => File.Exists(_gdbLog) ? File.ReadAllText(_gdbLog) : "(no gdb log)";
}

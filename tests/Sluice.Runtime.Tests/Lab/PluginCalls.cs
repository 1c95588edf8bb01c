namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// containerd's CNI bin_dir: for each Sluice plugin a recording shim that notes how containerd
/// called it (command, CNI_NETNS, whether stdin carried a prevResult, CNI_ARGS), then execs the
/// published binary under its own name; and Debian's loopback, which the CRI runs first.
/// </summary>
internal sealed class PluginCalls
{
    private static readonly string[] Plugins = ["sluice-bridge", "sluice-ipam", "sluice-portmap", "sluice-redirect"];

    private readonly string _log;

    private PluginCalls(string binDir, string log)
    {
        BinDir = binDir;
        _log = log;
    }

    public string BinDir { get; }

    public static PluginCalls Install(string binDir, string log)
    {
        Directory.CreateDirectory(binDir);
        foreach (var plugin in Plugins)
        {
            var shim = Path.Combine(binDir, plugin);
            File.WriteAllText(shim, $$"""
                #!/bin/sh
                # Records the call as the runtime made it, then runs the published plugin.
                input=$(cat)
                case "$input" in *'"prevResult"'*) prev=yes ;; *) prev=no ;; esac
                printf '%s %s netns=%s prevResult=%s args=%s\n' {{plugin}} "$CNI_COMMAND" "$CNI_NETNS" "$prev" "$CNI_ARGS" >> '{{log}}'
                printf '%s' "$input" | exec '{{RepoPaths.Binary(plugin)}}'
                """ + "\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.CreateSymbolicLink(Path.Combine(binDir, "loopback"), "/usr/lib/cni/loopback");
        return new PluginCalls(binDir, log);
    }

    /// <summary>Every recorded call of <paramref name="plugin"/> with <paramref name="command"/>, in order.</summary>
    public IReadOnlyList<PluginCall> Of(string plugin, string command) =>
        All().Where(call => call.Plugin == plugin && call.Command == command).ToList();

    public IReadOnlyList<PluginCall> All() =>
        File.Exists(_log) ? File.ReadAllLines(_log).Select(PluginCall.Parse).ToList() : [];

    public string Text() => File.Exists(_log) ? File.ReadAllText(_log) : "(no plugin calls)";
}

/// <summary>One plugin call as the recording shim saw it.</summary>
internal sealed record PluginCall(string Plugin, string Command, string Netns, bool HasPrevResult, string Args)
{
    public static PluginCall Parse(string line)
    {
        var parts = line.Split(' ', 5);
        return new PluginCall(parts[0], parts[1], Value(parts[2]), Value(parts[3]) == "yes", Value(parts[4]));
    }

    private static string Value(string field) => field[(field.IndexOf('=', StringComparison.Ordinal) + 1)..];
}

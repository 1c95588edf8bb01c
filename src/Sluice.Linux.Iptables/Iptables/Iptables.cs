using System.ComponentModel;
using System.Net.Sockets;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Processes;

namespace Sluice.Linux.Iptables;

/// <summary>
/// iptables through its restore and save tools, one exec each, with an argument list (never a
/// shell string), run inside the given namespace: the child is forked from a thread that has
/// entered it. Restore uses <c>--noflush</c> so only the chains named in the input change.
/// </summary>
public sealed class Iptables(IptablesVariant variant, NetNs? ns = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public IptablesVariant Variant => variant;

    /// <summary>How many times a tool was executed (for tests and benchmarks that count execs).</summary>
    public int Executions { get; private set; }

    public string Tool(AddressFamily family, string action) =>
        $"{(family == AddressFamily.InterNetworkV6 ? "ip6tables" : "iptables")}-{(variant == IptablesVariant.Legacy ? "legacy" : "nft")}-{action}";

    /// <summary>Feeds <paramref name="input"/> to <c>iptables-restore --noflush --wait 10</c> (all tables in it commit together).</summary>
    public void Restore(AddressFamily family, string input) => Run(Tool(family, "restore"), ["--noflush", "--wait", "10"], input);

    /// <summary><c>iptables-save [-t TABLE]</c></summary>
    public string Save(AddressFamily family, string? table = null) =>
        Run(Tool(family, "save"), table is null ? [] : ["-t", table], null);

    private string Run(string tool, string[] arguments, string? input)
    {
        Executions++;
        return ns is null ? Exec(tool, arguments, input) : ns.Run(() => Exec(tool, arguments, input));
    }

    private static string Exec(string tool, string[] arguments, string? input)
    {
        var commandLine = $"{tool} {string.Join(' ', arguments)}".TrimEnd();
        var path = ProgramPath.Find(tool) ?? throw new IptablesException(
            $"{tool} is not in {string.Join(':', ProgramPath.SearchPath)} (is the iptables package installed?)");
        ChildOutput? output;
        try
        {
            output = ChildProcess.Run(path, arguments, input ?? "", Timeout);
        }
        catch (Win32Exception error)
        {
            throw new IptablesException($"{commandLine}: {error.Message} (is the iptables package installed?)");
        }

        if (output is null)
        {
            throw new IptablesException($"{commandLine}: no answer within {Timeout.TotalSeconds:F0} s");
        }

        if (output.ExitCode != 0)
        {
            var detail = output.Stderr.Trim();
            throw new IptablesException($"{commandLine} exited with {output.ExitCode}{(detail.Length > 0 ? $": {detail}" : "")}");
        }

        return output.Stdout;
    }
}

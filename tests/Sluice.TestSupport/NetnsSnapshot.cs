using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.TestSupport;

/// <summary>
/// What a plugin could leave in a namespace, as text: links, addresses, routes of every table,
/// policy rules, the nftables ruleset (which holds iptables-nft's rules too) and iptables-legacy's
/// rules. Counters and lifetimes are left out (they change by themselves).
/// </summary>
public static partial class NetnsSnapshot
{
    public static string Take(TestNetns ns) => CarrierState().Replace(TakeRaw(ns), "");

    private static string TakeRaw(TestNetns ns)
    {
        var text = new StringBuilder();
        text.Append("== links\n").Append(Fields(ns.Exec("ip", "-o", "link", "show"), 1, 2));
        text.Append("== addresses\n").Append(Fields(ns.Exec("ip", "-o", "address", "show"), 1, 4));
        foreach (var family in new[] { "-4", "-6" })
        {
            text.Append("== routes ").Append(family).Append('\n').Append(ns.Exec("ip", family, "route", "show", "table", "all"));
            text.Append("== rules ").Append(family).Append('\n').Append(ns.Exec("ip", family, "rule", "show"));
        }

        text.Append("== nft\n").Append(Counters().Replace(ns.Exec("nft", "-s", "list", "ruleset"), ""));
        foreach (var tool in new[] { "iptables-legacy-save", "ip6tables-legacy-save" })
        {
            var saved = ns.TryExec(tool);
            text.Append("== ").Append(tool).Append('\n');
            text.AppendJoin('\n', saved.Stdout.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>How many objects each section of a snapshot holds ("links: 3, addresses: 7, …").</summary>
    public static string Counts(string snapshot) =>
        string.Join(", ", snapshot.Split("== ", StringSplitOptions.RemoveEmptyEntries)
            .Select(section => section.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(lines => $"{lines[0]}: {lines.Length - 1}"));

    /// <summary>Fields <paramref name="from"/>..<paramref name="to"/> (0-based) of each line of `ip -o` output.</summary>
    private static string Fields(string output, int from, int to) =>
        string.Concat(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(from).Take(to - from + 1)) + "\n"));

    /// <summary>Carrier comes and goes with the bridge's ports, a little after the last one left: not state a plugin keeps.</summary>
    [GeneratedRegex(@"NO-CARRIER,|,LOWER_UP| linkdown")]
    private static partial Regex CarrierState();

    [GeneratedRegex(@"counter packets \d+ bytes \d+")]
    private static partial Regex Counters();
}

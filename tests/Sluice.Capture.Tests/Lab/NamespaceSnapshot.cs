using System.Text;

namespace Sluice.Capture.Tests.Lab;

/// <summary>
/// Everything capture could touch in a namespace, as text to compare: nftables rules (without
/// counters), iptables-legacy rules, policy rules, routes of every table (but the local routes of link-local addresses), and lo's addresses.
/// Empty tables and rule-less built-in chains are left out: iptables creates those on first
/// use and cannot remove them (legacy tables stay registered), and they change no packet.
/// </summary>
internal static class NamespaceSnapshot
{
    private static readonly string[] IptablesBuiltIns = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

    public static string Take(TestNetns ns)
    {
        var text = new StringBuilder();
        text.Append("== nft\n").Append(Nft(ns.Exec("nft", "-s", "list", "ruleset")));
        foreach (var tool in new[] { "iptables-legacy-save", "ip6tables-legacy-save" })
        {
            text.Append("== ").Append(tool).Append('\n');
            foreach (var line in ns.Exec(tool).Split('\n'))
            {
                if (line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith('*') ||
                    (line.StartsWith(':') && !IptablesBuiltIns.Contains(line[1..].Split(' ')[0])))
                {
                    text.Append(line).Append('\n');
                }
            }
        }

        text.Append("== rules\n").Append(ns.Exec("ip", "-4", "rule")).Append(ns.Exec("ip", "-6", "rule"));
        text.Append("== routes\n").Append(ns.Exec("ip", "-4", "route", "show", "table", "all"));
        text.AppendJoin('\n', ns.Exec("ip", "-6", "route", "show", "table", "all").Split('\n').Where(l => !IsLinkLocalAddressRoute(l))).Append('\n');
        text.Append("== lo\n").Append(string.Join('\n', ns.Exec("ip", "-o", "address", "show", "dev", "lo").Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4)))));
        return RemoveLegacyTableHeaders(text.ToString());
    }

    /// <summary>
    /// The local route of an interface's own link-local address: it appears whenever DAD ends for
    /// that address (a second or two after the lab's links come up, at a random point of a test),
    /// and its address follows the link's random MAC. Capture never adds or removes one.
    /// </summary>
    private static bool IsLinkLocalAddressRoute(string line) => line.StartsWith("local fe80::", StringComparison.Ordinal);

    /// <summary>nft's listing with empty chains of iptables' built-in names and then empty tables dropped.</summary>
    private static string Nft(string ruleset)
    {
        var output = new StringBuilder();
        var lines = ruleset.Split('\n').ToList();
        var kept = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("chain ", StringComparison.Ordinal) && IptablesBuiltIns.Contains(trimmed.Split(' ')[1]))
            {
                var body = new List<string> { line };
                var j = i + 1;
                for (; j < lines.Count && lines[j].Trim() != "}"; j++)
                {
                    body.Add(lines[j]);
                }

                var hasRules = body.Skip(1).Any(l => l.Trim().Length > 0 && !l.Trim().StartsWith("type ", StringComparison.Ordinal));
                if (hasRules)
                {
                    kept.AddRange(body);
                    kept.Add(lines[j]);
                }

                i = j;
                continue;
            }

            kept.Add(line);
        }

        // Drop tables left with no chains.
        kept.RemoveAll(l => l.Trim().Length == 0);
        for (var i = 0; i < kept.Count; i++)
        {
            if (kept[i].StartsWith("table ", StringComparison.Ordinal) && i + 1 < kept.Count && kept[i + 1].Trim() == "}")
            {
                i++;
                continue;
            }

            output.Append(kept[i]).Append('\n');
        }

        return output.ToString();
    }

    /// <summary>Legacy tables that hold nothing of interest print only their header; drop those.</summary>
    private static string RemoveLegacyTableHeaders(string text)
    {
        var lines = text.Split('\n').ToList();
        var result = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith('*') && (i + 1 >= lines.Count || lines[i + 1].StartsWith('*') || lines[i + 1].StartsWith("==", StringComparison.Ordinal)))
            {
                continue;
            }

            result.Add(lines[i]);
        }

        return string.Join('\n', result);
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Sluice.Capture.Rules;
using Sluice.Linux.Nftables;

namespace Sluice.Capture.Nft;

/// <summary>
/// The capture table in nft's own language, for dry runs and for people: <c>nft -f</c> of this
/// text installs exactly the rules the native backend sends (a test holds it to that).
/// </summary>
internal static class NftCaptureScript
{
    public static string Render(CaptureRuleSet rules, string table, string comment)
    {
        var text = new StringBuilder();
        text.Append("table inet ").Append(table).Append(" {\n");
        text.Append("\tcomment \"").Append(comment).Append("\"\n");
        foreach (var chain in rules.Chains)
        {
            text.Append("\n\tchain ").Append(NftCaptureProgram.ChainName(chain.Table, chain.Name)).Append(" {\n");
            if (NftCaptureProgram.BaseOf(chain) is { } baseChain)
            {
                text.Append("\t\ttype ").Append(baseChain.Type).Append(" hook ").Append(baseChain.Hook.ToString().ToLowerInvariant())
                    .Append(" priority ").Append(baseChain.Priority.ToString(CultureInfo.InvariantCulture)).Append("; policy accept;\n");
            }

            foreach (var rule in chain.Rules)
            {
                text.Append("\t\t").Append(Rule(chain.Table, rule)).Append('\n');
            }

            text.Append("\t}\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Rule(CaptureTable table, CaptureRule rule)
    {
        var parts = new List<string>();
        if (rule.Family is { } family)
        {
            parts.Add($"meta nfproto {NftCaptureProgram.FamilyName(family)}");
        }

        var protocol = rule.Matches.OfType<ProtocolMatch>().Select(p => p.Protocol == CaptureProtocol.Tcp ? "tcp" : "udp").FirstOrDefault();
        foreach (var match in rule.Matches)
        {
            parts.Add(match switch
            {
                AddressMatch address => $"{(address.Network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "ip" : "ip6")} {(address.Source ? "saddr" : "daddr")} {Not(address.Negate)}{Network(address.Network)}",
                InterfaceMatch link => $"{(link.Input ? "iifname" : "oifname")} {Not(link.Negate)}\"{(Sluice.Net.InterfaceName.IsWildcard(link.Name) ? link.Name[..^1] + "*" : link.Name)}\"",
                ProtocolMatch => $"meta l4proto {protocol}",
                PortMatch port => $"{protocol} dport {Not(port.Negate)}{port.Range}",
                OwnerMatch owner => $"meta {(owner.Group ? "skgid" : "skuid")} {Not(owner.Negate)}{owner.Id.ToString(CultureInfo.InvariantCulture)}",
                MarkMatch mark => $"meta mark {Not(mark.Negate)}{Hex(mark.Mark)}",
                InvalidStateMatch => "ct state invalid",
                EstablishedMatch => "ct state established,related",
                _ => throw new InvalidOperationException($"no nftables form for {match}"),
            });
        }

        parts.Add("counter");
        parts.Add(rule.Action switch
        {
            JumpAction jump => $"jump {NftCaptureProgram.ChainName(table, jump.Chain)}",
            ReturnAction => "return",
            AcceptAction => "accept",
            DropAction => "drop",
            RedirectAction redirect => $"redirect to :{redirect.Port.ToString(CultureInfo.InvariantCulture)}",
            TproxyAction tproxy => $"tproxy {(rule.Family == AddressFamily.InterNetwork ? "ip" : "ip6")} to :{tproxy.Port.ToString(CultureInfo.InvariantCulture)} meta mark set {Hex(tproxy.Mark)} accept",
            MarkAction mark => $"meta mark set {Hex(mark.Mark)}",
            _ => throw new InvalidOperationException($"no nftables form for {rule.Action}"),
        });
        return string.Join(' ', parts);
    }

    private static string Not(bool negate) => negate ? "!= " : "";

    private static string Network(System.Net.IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) ? network.BaseAddress.ToString() : network.ToString();

    private static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Sluice.Capture.Rules;

namespace Sluice.Capture.Iptables;

/// <summary>
/// Capture rules as iptables-restore lines, written exactly as iptables-save prints them back
/// (addresses, interfaces and protocol first, then matches, then the target) so that what is
/// installed can be compared with what is wanted by text.
/// </summary>
internal static class IptablesRuleText
{
    public const string ChainPrefix = "SLUICE_";

    public static string Table(CaptureTable table) => table == CaptureTable.Nat ? "nat" : "mangle";

    /// <summary>The chain's name in iptables: <c>SLUICE_</c> and its logical name (hook chains: <c>SLUICE_PREROUTING</c>).</summary>
    public static string Chain(string logicalName) => ChainPrefix + logicalName;

    /// <summary>The built-in chain a hook chain is jumped to from.</summary>
    public static string BuiltIn(CaptureHook hook) => hook == CaptureHook.Prerouting ? "PREROUTING" : "OUTPUT";

    /// <summary>The jump from the built-in chain, as iptables-save prints it.</summary>
    public static string Jump(CaptureChain chain) => $"-A {BuiltIn(chain.Hook!.Value)} -j {Chain(chain.Name)}";

    /// <summary>A rule as iptables-save prints it, without the leading <c>-A CHAIN</c>.</summary>
    public static string Rule(CaptureRule rule, AddressFamily family)
    {
        var text = new StringBuilder();
        var protocol = rule.Matches.OfType<ProtocolMatch>().Select(p => p.Protocol == CaptureProtocol.Tcp ? "tcp" : "udp").FirstOrDefault();
        foreach (var match in rule.Matches)
        {
            switch (match)
            {
                case AddressMatch address:
                    Negation(text, address.Negate).Append(address.Source ? "-s " : "-d ").Append(address.Network).Append(' ');
                    break;
                case InterfaceMatch link:
                    Negation(text, link.Negate).Append(link.Input ? "-i " : "-o ").Append(link.Name).Append(' ');
                    break;
                case ProtocolMatch:
                    text.Append("-p ").Append(protocol).Append(' ');
                    break;
                case PortMatch port:
                    var range = port.Range.IsSingle ? Number(port.Range.First) : $"{Number(port.Range.First)}:{Number(port.Range.Last)}";
                    text.Append("-m ").Append(protocol ?? throw new InvalidOperationException("a port match needs a protocol")).Append(' ');
                    Negation(text, port.Negate).Append("--dport ").Append(range).Append(' ');
                    break;
                case OwnerMatch owner:
                    text.Append("-m owner ");
                    Negation(text, owner.Negate).Append(owner.Group ? "--gid-owner " : "--uid-owner ").Append(Number(owner.Id)).Append(' ');
                    break;
                case MarkMatch mark:
                    text.Append("-m mark ");
                    Negation(text, mark.Negate).Append("--mark ").Append(Hex(mark.Mark)).Append(' ');
                    break;
                case InvalidStateMatch:
                    text.Append("-m conntrack --ctstate INVALID ");
                    break;
                case EstablishedMatch:
                    text.Append("-m conntrack --ctstate RELATED,ESTABLISHED ");
                    break;
                default:
                    throw new InvalidOperationException($"no iptables form for {match}");
            }
        }

        text.Append(Target(rule.Action, family));
        return text.ToString();
    }

    private static string Target(CaptureAction action, AddressFamily family) => action switch
    {
        JumpAction jump => $"-j {Chain(jump.Chain)}",
        ReturnAction => "-j RETURN",
        AcceptAction => "-j ACCEPT",
        DropAction => "-j DROP",
        RedirectAction redirect => $"-j REDIRECT --to-ports {Number(redirect.Port)}",
        TproxyAction tproxy => $"-j TPROXY --on-port {Number(tproxy.Port)} --on-ip {(family == AddressFamily.InterNetwork ? "0.0.0.0" : "::")} --tproxy-mark {Hex(tproxy.Mark)}/0xffffffff",
        MarkAction mark => $"-j MARK --set-xmark {Hex(mark.Mark)}/0xffffffff",
        _ => throw new InvalidOperationException($"no iptables form for {action}"),
    };

    private static StringBuilder Negation(StringBuilder text, bool negate) => negate ? text.Append("! ") : text;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);
}

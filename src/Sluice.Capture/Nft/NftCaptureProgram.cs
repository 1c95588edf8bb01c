using System.Net.Sockets;
using Sluice.Capture.Rules;
using Sluice.Linux.Nftables;

namespace Sluice.Capture.Nft;

/// <summary>A chain of table <c>inet sluice_capture</c> as nf_tables expressions.</summary>
internal sealed record NftCaptureChain(string Name, NftBaseChain? Base, IReadOnlyList<NftExpr[]> Rules);

/// <summary>
/// Capture rules as nf_tables expressions, encoded the way nft encodes the same statements (so
/// <c>nft -f</c> of the dry-run text and the native batch leave identical rules). Chains are
/// named <c>TABLE_NAME</c> (<c>nat_output</c>, <c>mangle_tproxy</c>); hook chains are base chains
/// at the priorities of iptables' nat (-100) and mangle (-150) tables. Every rule counts.
/// </summary>
internal static class NftCaptureProgram
{
    public const int NatPriority = NftBaseChain.PriorityDstNat;
    public const int ManglePriority = NftBaseChain.PriorityMangle;

    public static IReadOnlyList<NftCaptureChain> Compile(CaptureRuleSet rules) =>
        rules.Chains.Select(chain => new NftCaptureChain(
            ChainName(chain.Table, chain.Name),
            BaseOf(chain),
            chain.Rules.Select(rule => Expressions(chain.Table, rule)).ToList())).ToList();

    public static string ChainName(CaptureTable table, string logicalName) =>
        $"{(table == CaptureTable.Nat ? "nat" : "mangle")}_{logicalName.ToLowerInvariant()}";

    public static NftBaseChain? BaseOf(CaptureChain chain) => (chain.Table, chain.Hook) switch
    {
        (CaptureTable.Nat, CaptureHook.Prerouting) => new NftBaseChain("nat", NftHook.Prerouting, NatPriority),
        (CaptureTable.Nat, CaptureHook.Output) => new NftBaseChain("nat", NftHook.Output, NatPriority),
        (CaptureTable.Mangle, CaptureHook.Prerouting) => new NftBaseChain("filter", NftHook.Prerouting, ManglePriority),
        // A route chain re-routes a packet whose mark it changed, as iptables' mangle OUTPUT does.
        (CaptureTable.Mangle, CaptureHook.Output) => new NftBaseChain("route", NftHook.Output, ManglePriority),
        _ => null,
    };

    private static NftExpr[] Expressions(CaptureTable table, CaptureRule rule)
    {
        var expressions = new List<NftExpr>();
        if (rule.Family is { } family)
        {
            expressions.AddRange(NftMatch.Family(family));
        }

        foreach (var match in rule.Matches)
        {
            expressions.AddRange(match switch
            {
                AddressMatch address => NftMatch.Address(address.Network, address.Source, address.Negate),
                InterfaceMatch link => NftMatch.InterfaceName(link.Input ? NftMetaKey.IifName : NftMetaKey.OifName, link.Name, link.Negate),
                ProtocolMatch protocol => NftMatch.L4Protocol(protocol.Protocol == CaptureProtocol.Tcp ? NftMatch.ProtocolTcp : NftMatch.ProtocolUdp),
                PortMatch { Range.IsSingle: true } port => NftMatch.Port(port.Range.First, destination: true, port.Negate),
                PortMatch { Negate: false } port => NftMatch.PortRange(port.Range.First, port.Range.Last, destination: true),
                OwnerMatch owner => NftMatch.Owner(owner.Group ? NftMetaKey.SkGid : NftMetaKey.SkUid, owner.Id, owner.Negate),
                MarkMatch mark => NftMatch.Mark(mark.Mark, mark.Negate),
                InvalidStateMatch => NftMatch.CtStateInvalid(),
                EstablishedMatch => NftMatch.CtStateEstablishedOrRelated(),
                _ => throw new InvalidOperationException($"no nftables form for {match}"),
            });
        }

        expressions.Add(new NftCounter());
        expressions.AddRange(rule.Action switch
        {
            JumpAction jump => [new NftVerdict(NftVerdictKind.Jump, ChainName(table, jump.Chain))],
            ReturnAction => [NftVerdict.Return],
            AcceptAction => [NftVerdict.Accept],
            DropAction => [NftVerdict.Drop],
            RedirectAction redirect => NftMatch.RedirectTo(redirect.Port),
            TproxyAction tproxy =>
            [
                .. NftMatch.TproxyTo(rule.Family ?? throw new InvalidOperationException("a TPROXY rule names its family"), tproxy.Port),
                .. NftMatch.SetMark(tproxy.Mark),
                NftVerdict.Accept,
            ],
            MarkAction mark => NftMatch.SetMark(mark.Mark),
            _ => throw new InvalidOperationException($"no nftables form for {rule.Action}"),
        });
        return [.. expressions];
    }

    internal static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "ipv4" : "ipv6";
}

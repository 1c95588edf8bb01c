using System.Net;
using System.Net.Sockets;
using Sluice.Capture.Policy;

namespace Sluice.Capture.Rules;

/// <summary>
/// Turns a <see cref="CapturePolicy"/> into chains of rules, the same for every backend.
/// <para>nat OUTPUT (locally generated traffic), in this order: excluded interfaces and
/// outbound-excluded ports go direct; the inbound passthrough source (127.0.0.6, ::6) over lo
/// goes direct; the proxy's own connections to the pod's address over lo are treated as inbound
/// (the INBOUND chain decides, so excluded inbound ports stay direct); anyone else's traffic over
/// lo goes direct; all other proxy traffic goes direct (no loop); DNS to port 53 goes to the DNS
/// port; loopback destinations and excluded networks go direct; media UDP goes to the media port;
/// included ports and networks go to the outbound port.</para>
/// <para>nat PREROUTING (REDIRECT mode): excluded interfaces go direct, rerouted virtual interfaces
/// are treated as outbound, TCP goes to INBOUND: excluded ports return, included ports go to the
/// inbound port.</para>
/// <para>mangle (TPROXY mode): PREROUTING sends TCP through INBOUND, which skips already-diverted
/// packets, the passthrough source and local traffic that is not the proxy's (mark 1338), diverts
/// packets of transparent sockets to local delivery, and TPROXYs new connections to the inbound
/// port with the mark that policy routing (table 133 by default) delivers locally. mangle OUTPUT
/// marks the proxy's connections to the pod over lo with 1338 so that they are captured inbound.</para>
/// </summary>
public static class CaptureCompiler
{
    internal const string Inbound = "INBOUND";
    internal const string InRedirect = "IN_REDIRECT";
    internal const string Redirect = "REDIRECT";
    internal const string Divert = "DIVERT";
    internal const string Tproxy = "TPROXY";

    private const string Loopback = "lo";
    private const int DnsServicePort = 53;

    private static readonly AddressFamily[] BothFamilies = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    public static CaptureRuleSet Compile(CapturePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var families = BothFamilies.Where(policy.Covers).ToList();
        var tproxy = policy.CapturesInbound && policy.InboundMode == InboundMode.Tproxy;
        var redirectInbound = policy.CapturesInbound && !tproxy;

        var chains = new List<CaptureChain>();
        Add(chains, CaptureTable.Nat, "PREROUTING", CaptureHook.Prerouting, NatPrerouting(policy, redirectInbound));
        Add(chains, CaptureTable.Nat, "OUTPUT", CaptureHook.Output, NatOutput(policy, families, redirectInbound));
        if (redirectInbound)
        {
            Add(chains, CaptureTable.Nat, Inbound, null, InboundPorts(policy, InRedirect));
            Add(chains, CaptureTable.Nat, InRedirect, null, [Rule([Tcp], new RedirectAction(policy.InboundPort))]);
        }

        if (policy.OutboundPort is { } outboundPort && chains.Any(c => c.Rules.Any(r => r.Action is JumpAction { Chain: Redirect })))
        {
            Add(chains, CaptureTable.Nat, Redirect, null, [Rule([Tcp], new RedirectAction(outboundPort))]);
        }

        Add(chains, CaptureTable.Mangle, "PREROUTING", CaptureHook.Prerouting, ManglePrerouting(policy, tproxy));
        if (tproxy)
        {
            Add(chains, CaptureTable.Mangle, "OUTPUT", CaptureHook.Output, MangleOutput(policy, families));
            Add(chains, CaptureTable.Mangle, Inbound, null, TproxyInbound(policy, families));
            Add(chains, CaptureTable.Mangle, Divert, null, [Rule([], new MarkAction(policy.TproxyMark)), Rule([], AcceptAction.Instance)]);
            Add(chains, CaptureTable.Mangle, Tproxy, null, families.Select(f => Rule(f, [Destination(LoopbackOf(f), negate: true), Tcp], new TproxyAction(policy.InboundPort, policy.TproxyMark))).ToList());
        }

        return new CaptureRuleSet(Restrict(chains, families), policy.Families, tproxy ? new TproxyRouting(policy.TproxyMark, policy.TproxyTable) : null);
    }

    private static List<CaptureRule> NatPrerouting(CapturePolicy policy, bool redirectInbound)
    {
        var rules = policy.ExcludeInterfaces.Select(i => Rule([In(i)], ReturnAction.Instance)).ToList();
        foreach (var virtualInterface in policy.RerouteInterfaces)
        {
            if (policy.OutboundPort is not null)
            {
                rules.AddRange(policy.OutboundCidrs.All
                    ? [Rule([In(virtualInterface), Tcp], new JumpAction(Redirect))]
                    : policy.OutboundCidrs.Networks.Select(n => Rule(n.BaseAddress.AddressFamily, [In(virtualInterface), Destination(n), Tcp], new JumpAction(Redirect))));
            }

            rules.Add(Rule([In(virtualInterface)], ReturnAction.Instance));
        }

        if (redirectInbound)
        {
            rules.Add(Rule([Tcp], new JumpAction(Inbound)));
        }

        return rules;
    }

    private static List<CaptureRule> NatOutput(CapturePolicy policy, List<AddressFamily> families, bool redirectInbound)
    {
        var capturesAnything = policy.CapturesOutbound || policy.CapturesMedia || policy.DnsPort is not null || redirectInbound;
        if (!capturesAnything)
        {
            return [];
        }

        var rules = policy.ExcludeInterfaces.Select(i => Rule([Out(i)], ReturnAction.Instance)).ToList();
        foreach (var range in policy.OutboundExcludePorts.Ranges)
        {
            rules.Add(Rule([Tcp, new PortMatch(range)], ReturnAction.Instance));
            rules.Add(Rule([Udp, new PortMatch(range)], ReturnAction.Instance));
        }

        rules.AddRange(families.Select(f => Rule(f, [Source(PassthroughOf(f)), Out(Loopback)], ReturnAction.Instance)));
        var identities = ProxyIdentities(policy).ToList();
        for (var i = 0; i < identities.Count; i++)
        {
            var (id, group) = identities[i];
            // istio-iptables repeats the loopback rules for every identity, but only the first
            // identity's can match: its "not the proxy over lo: return" and "the proxy: return"
            // together return every loopback packet the later ones look at (a packet without a
            // socket is returned by the first in iptables and matched by no owner rule in nft).
            if (i == 0)
            {
                rules.AddRange(LoopbackFromOwner(policy, families, redirectInbound, id, group));
            }

            rules.Add(Rule([new OwnerMatch(id, group)], ReturnAction.Instance));
        }

        if (policy.DnsPort is { } dnsPort)
        {
            rules.Add(Rule([Udp, DnsPortMatch()], new RedirectAction(dnsPort)));
            rules.Add(Rule([Tcp, DnsPortMatch()], new RedirectAction(dnsPort)));
        }

        rules.AddRange(families.Select(f => Rule(f, [Destination(LoopbackOf(f))], ReturnAction.Instance)));
        rules.AddRange(policy.OutboundExcludeCidrs.Networks.Select(n => Rule(n.BaseAddress.AddressFamily, [Destination(n)], ReturnAction.Instance)));
        if (policy.MediaPort is { } mediaPort && policy.CapturesMedia)
        {
            rules.AddRange(policy.MediaUdpPorts.All
                ? [Rule([Udp], new RedirectAction(mediaPort))]
                : policy.MediaUdpPorts.Ranges.Select(r => Rule([Udp, new PortMatch(r)], new RedirectAction(mediaPort))));
        }

        if (policy.OutboundPort is not null)
        {
            rules.AddRange(policy.OutboundPorts.All
                ? [Rule([Tcp], new JumpAction(Redirect))]
                : policy.OutboundPorts.Ranges.Select(r => Rule([Tcp, new PortMatch(r)], new JumpAction(Redirect))));
            rules.AddRange(policy.OutboundCidrs.All
                ? [Rule([Tcp], new JumpAction(Redirect))]
                : policy.OutboundCidrs.Networks.Select(n => Rule(n.BaseAddress.AddressFamily, [Destination(n), Tcp], new JumpAction(Redirect))));
        }

        return rules;
    }

    /// <summary>
    /// nat OUTPUT over lo for one proxy identity: its connections to the pod's own address are
    /// treated as inbound; anyone else's loopback traffic goes direct (except DNS, when captured).
    /// </summary>
    private static List<CaptureRule> LoopbackFromOwner(CapturePolicy policy, List<AddressFamily> families, bool redirectInbound, uint id, bool group)
    {
        var rules = new List<CaptureRule>();
        if (redirectInbound)
        {
            rules.AddRange(families.Select(f => Rule(
                f,
                [Destination(LoopbackOf(f), negate: true), Out(Loopback), Tcp, .. NotDns(policy), new OwnerMatch(id, group)],
                new JumpAction(Inbound))));
        }

        if (policy.DnsPort is null)
        {
            rules.Add(Rule([Out(Loopback), new OwnerMatch(id, group, Negate: true)], ReturnAction.Instance));
        }
        else
        {
            // An app's DNS to a resolver on loopback is still captured.
            rules.Add(Rule([Out(Loopback), Tcp, DnsPortMatch(negate: true), new OwnerMatch(id, group, Negate: true)], ReturnAction.Instance));
            rules.Add(Rule([Out(Loopback), Udp, DnsPortMatch(negate: true), new OwnerMatch(id, group, Negate: true)], ReturnAction.Instance));
        }

        return rules;
    }

    /// <summary>Excluded ports return first (in both forms: exclusion always wins), then the included ports go on.</summary>
    private static List<CaptureRule> InboundPorts(CapturePolicy policy, string target)
    {
        var rules = policy.InboundExcludePorts.Ranges.Select(r => Rule([Tcp, new PortMatch(r)], ReturnAction.Instance)).ToList();
        rules.AddRange(policy.InboundPorts.All
            ? [Rule([Tcp], new JumpAction(target))]
            : policy.InboundPorts.Ranges.Select(r => Rule([Tcp, new PortMatch(r)], new JumpAction(target))));
        return rules;
    }

    private static List<CaptureRule> ManglePrerouting(CapturePolicy policy, bool tproxy)
    {
        if (!tproxy && !policy.DropInvalid)
        {
            return [];
        }

        var rules = policy.ExcludeInterfaces.Select(i => Rule([In(i)], ReturnAction.Instance)).ToList();
        if (policy.DropInvalid)
        {
            rules.Add(Rule([new InvalidStateMatch()], DropAction.Instance));
        }

        if (tproxy)
        {
            rules.Add(Rule([Tcp], new JumpAction(Inbound)));
        }

        return rules;
    }

    private static List<CaptureRule> TproxyInbound(CapturePolicy policy, List<AddressFamily> families)
    {
        var rules = new List<CaptureRule> { Rule([Tcp, new MarkMatch(policy.TproxyMark)], ReturnAction.Instance) };
        rules.AddRange(families.Select(f => Rule(f, [Source(PassthroughOf(f)), In(Loopback), Tcp], ReturnAction.Instance)));
        rules.Add(Rule([In(Loopback), Tcp, new MarkMatch(CapturePolicy.ProxyToSelfMark, Negate: true)], ReturnAction.Instance));
        rules.Add(Rule([Tcp, new EstablishedMatch()], new JumpAction(Divert)));
        rules.AddRange(InboundPorts(policy, Tproxy));
        return rules;
    }

    private static List<CaptureRule> MangleOutput(CapturePolicy policy, List<AddressFamily> families)
    {
        var rules = policy.ExcludeInterfaces.Select(i => Rule([Out(i)], ReturnAction.Instance)).ToList();
        rules.Add(Rule([Out(Loopback), Tcp, new MarkMatch(policy.TproxyMark)], ReturnAction.Instance));
        foreach (var (id, group) in ProxyIdentities(policy))
        {
            rules.AddRange(families.Select(f => Rule(
                f,
                [Destination(LoopbackOf(f), negate: true), Out(Loopback), Tcp, new OwnerMatch(id, group)],
                new MarkAction(CapturePolicy.ProxyToSelfMark))));
        }

        return rules;
    }

    /// <summary>With one family captured, hook chains only see that family and the other's rules go.</summary>
    private static List<CaptureChain> Restrict(List<CaptureChain> chains, List<AddressFamily> families)
    {
        if (families.Count == BothFamilies.Length)
        {
            return chains;
        }

        var only = families[0];
        return chains.Select(chain => chain with
        {
            Rules = chain.Rules
                .Where(r => r.AppliesTo(only))
                .Select(r => chain.IsHook && r.Family is null ? new CaptureRule(only, r.Matches, r.Action) : r)
                .ToList(),
        }).ToList();
    }

    private static void Add(List<CaptureChain> chains, CaptureTable table, string name, CaptureHook? hook, List<CaptureRule> rules)
    {
        if (rules.Count > 0)
        {
            chains.Add(new CaptureChain(table, name, hook, rules));
        }
    }

    private static IEnumerable<(uint Id, bool Group)> ProxyIdentities(CapturePolicy policy)
    {
        if (policy.ProxyUid is { } uid)
        {
            yield return (uid, false);
        }

        if (policy.ProxyGid is { } gid)
        {
            yield return (gid, true);
        }
    }

    private static CaptureMatch[] NotDns(CapturePolicy policy) => policy.DnsPort is null ? [] : [DnsPortMatch(negate: true)];

    private static PortMatch DnsPortMatch(bool negate = false) => new(PortRange.Single(DnsServicePort), negate);

    private static ProtocolMatch Tcp { get; } = new(CaptureProtocol.Tcp);

    private static ProtocolMatch Udp { get; } = new(CaptureProtocol.Udp);

    private static InterfaceMatch In(string name) => new(name, Input: true);

    private static InterfaceMatch Out(string name) => new(name, Input: false);

    private static AddressMatch Source(IPNetwork network) => new(network, Source: true);

    private static AddressMatch Destination(IPNetwork network, bool negate = false) => new(network, Source: false, negate);

    private static CaptureRule Rule(IEnumerable<CaptureMatch> matches, CaptureAction action) => new(null, matches, action);

    private static CaptureRule Rule(AddressFamily family, IEnumerable<CaptureMatch> matches, CaptureAction action) => new(family, matches, action);

    internal static IPNetwork LoopbackOf(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? new IPNetwork(IPAddress.Parse("127.0.0.0"), 8) : new IPNetwork(IPAddress.IPv6Loopback, 128);

    /// <summary>The source the proxy binds for its inbound passthrough connections to the app (Istio's 127.0.0.6 and ::6).</summary>
    internal static IPNetwork PassthroughOf(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? new IPNetwork(IPAddress.Parse("127.0.0.6"), 32) : new IPNetwork(IPAddress.Parse("::6"), 128);
}

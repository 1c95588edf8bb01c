using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Firewall;

/// <summary>
/// Which of Sluice's components hold rules in which backend on this node, read once from the
/// kernel in the calling thread's namespace: the nf_tables tables, the iptables-nft chains of the
/// tables the components use, and the legacy tables. A plugin that both chooses its backend and
/// looks for its rules in the others (sluice-portmap's ADD) asks one survey both questions.
/// </summary>
public sealed class FirewallSurvey
{
    private static readonly NftFamily[] IptablesFamilies = [NftFamily.Ip, NftFamily.Ip6];

    private readonly IReadOnlyCollection<FirewallComponent> _surveyed;
    private readonly List<(FirewallKind Kind, FirewallComponent Component)> _found;

    private FirewallSurvey(IReadOnlyCollection<FirewallComponent> surveyed, List<(FirewallKind, FirewallComponent)> found)
    {
        _surveyed = surveyed;
        _found = found;
    }

    /// <summary>Reads where the rules of <paramref name="components"/> are.</summary>
    public static FirewallSurvey Take(IReadOnlyCollection<FirewallComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var found = new List<(FirewallKind, FirewallComponent)>();
        void Found(FirewallKind kind, Func<FirewallComponent, bool> holdsRules)
        {
            foreach (var component in components)
            {
                if (holdsRules(component))
                {
                    found.Add((kind, component));
                }
            }
        }

        using (var nft = Nftables.Open())
        {
            var tables = nft.TryListTables(out var listed) ? listed : [];
            Found(FirewallKind.Nftables, c => tables.Any(t => t.Family == NftFamily.Inet && t.Name == c.NftTable));

            var chains = tables
                .Where(t => IptablesFamilies.Contains(t.Family) && components.Any(c => c.IptablesChains.Any(w => w.Table == t.Name)))
                .SelectMany(t => nft.ListChains(t.Family, t.Name).Select(chain => (t.Name, chain.Name)))
                .ToHashSet();
            Found(FirewallKind.IptablesNft, c => c.IptablesChains.Any(chains.Contains));
        }

        var legacy = LegacyTables.ReadAll();
        Found(FirewallKind.IptablesLegacy, c => c.IptablesChains.Any(w => legacy.Any(t => t.Name == w.Table && t.UserChains.Contains(w.Chain))));
        return new FirewallSurvey(components, found);
    }

    /// <summary>The backends that hold rules of any of <paramref name="components"/>, in the order nftables, iptables-nft, iptables-legacy.</summary>
    public IReadOnlyList<FirewallKind> Holding(IReadOnlyCollection<FirewallComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.FirstOrDefault(c => !_surveyed.Contains(c)) is { } missed)
        {
            // A caller's mistake, not the node's: the survey would answer "nowhere" for it.
            throw new InvalidOperationException($"the firewall survey did not look for {missed.Name}'s rules");
        }

        var kinds = new List<FirewallKind>();
        foreach (var (kind, component) in _found)
        {
            if (components.Contains(component) && !kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        kinds.Sort();
        return kinds;
    }
}

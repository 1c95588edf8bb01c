using Sluice.Linux.Files;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Firewall;

/// <summary>
/// The one decision of which firewall backend Sluice's node rules go to, taken the same way by
/// every component (sluice-bridge, sluice-portmap, the agent), so a node never ends up split
/// between backends. <c>auto</c>: the backend that already holds Sluice's rules (any component's);
/// on a node without them, iptables when the node's firewall already is iptables (the variant
/// holding rules, as <see cref="IptablesDetector"/> decides: an nftables accept cannot override an
/// iptables DROP), else native nftables when the kernel has it, else iptables-nft. Everything is
/// read from the kernel in the calling thread's namespace, without running iptables.
/// </summary>
public static class NodeFirewall
{
    public static FirewallChoice Choose(FirewallBackend requested) => Choose(requested, survey: null);

    /// <summary>The same decision, from a survey of all of Sluice's components the caller already took (for <c>auto</c>).</summary>
    public static FirewallChoice Choose(FirewallBackend requested, FirewallSurvey? survey)
    {
        switch (requested)
        {
            case FirewallBackend.Nftables:
                return new FirewallChoice(FirewallKind.Nftables, "configured");
            case FirewallBackend.Iptables:
                var variant = IptablesDetector.Detect();
                return new FirewallChoice(FirewallChoice.KindOf(variant.Variant), $"configured iptables; {variant.Reason}");
        }

        var holding = (survey ?? FirewallSurvey.Take(FirewallComponent.All)).Holding(FirewallComponent.All);
        if (holding.Count > 0)
        {
            var also = holding.Count > 1 ? $" (also found in {string.Join(", ", holding.Skip(1).Select(FirewallChoice.NameOf))})" : "";
            return new FirewallChoice(holding[0], $"already holds Sluice's rules{also}");
        }

        var choice = IptablesDetector.Detect();
        if (choice.HoldsRules)
        {
            return new FirewallChoice(FirewallChoice.KindOf(choice.Variant), choice.Reason);
        }

        using var nft = Nftables.Open();
        return nft.IsSupported()
            ? new FirewallChoice(FirewallKind.Nftables, "no firewall rules on this node yet; the kernel has nf_tables")
            : new FirewallChoice(FirewallKind.IptablesNft, "no firewall rules on this node yet and no native nf_tables");
    }

    /// <summary>The backends that hold rules of any of <paramref name="components"/>, in the order nftables, iptables-nft, iptables-legacy.</summary>
    public static IReadOnlyList<FirewallKind> Holding(IReadOnlyCollection<FirewallComponent> components) =>
        FirewallSurvey.Take(components).Holding(components);

    /// <summary>
    /// Serialises changes to the node's rules: an exclusive flock on the calling thread's network
    /// namespace itself (its nsfs file), so every component on the node waits for the same lock,
    /// nodes in other namespaces never wait for each other, and nothing is written to disk. The
    /// kernel drops it when the process dies. Work handed to <see cref="AfterRelease"/> while it is
    /// held runs once it is released.
    /// </summary>
    public static NodeFirewallLock Lock() => new(FileLock.AcquireExisting("/proc/thread-self/ns/net"));

    /// <summary>
    /// Runs <paramref name="work"/> once the calling thread releases the node's firewall lock, or at
    /// once when it holds none. For work that needs no lock but follows a change made under it (the
    /// carry of sluice-bridge's stamps after a hostPort commit, <see cref="NftVerifiedStamps.CarryOver"/>):
    /// ten pods started at once queue for this lock, and each waits for every holder's whole section.
    /// </summary>
    public static void AfterRelease(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (NodeFirewallLock.Held is { } held)
        {
            held.Defer(work);
        }
        else
        {
            work();
        }
    }
}

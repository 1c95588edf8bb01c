using Sluice.Capture.Policy;

namespace Sluice.Capture.Rules;

/// <summary>Everything one policy installs: the chains, the families they cover, and TPROXY's policy routing.</summary>
public sealed record CaptureRuleSet(IReadOnlyList<CaptureChain> Chains, CaptureFamilies Families, TproxyRouting? Routing)
{
    public IEnumerable<CaptureChain> In(CaptureTable table) => Chains.Where(c => c.Table == table);
}

/// <summary><c>ip rule add fwmark MARK lookup TABLE</c> and <c>ip route add local default dev lo table TABLE</c>, per family.</summary>
public sealed record TproxyRouting(uint Mark, int Table)
{
    /// <summary>The rule's priority: after the local table (0), before main (32766).</summary>
    public const int RulePriority = 32000;
}

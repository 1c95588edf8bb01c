using System.Runtime.CompilerServices;
using Sluice.Capture.Nft;
using Sluice.Capture.Policy;
using Sluice.Capture.Rules;

namespace Sluice.Capture;

/// <summary>
/// What a policy compiles to, kept per policy object: sluice-agent checks the same pods' policies
/// every period and compiles each once. Policies and rule sets are immutable records, so an
/// object's compiled forms never change; an entry goes when its policy is collected. A plugin,
/// one call per process, compiles once as before.
/// </summary>
internal static class CompiledPolicies
{
    private static readonly ConditionalWeakTable<CapturePolicy, CaptureRuleSet> Rules = new();
    private static readonly ConditionalWeakTable<CaptureRuleSet, NftWanted> Nft = new();

    public static CaptureRuleSet RulesOf(CapturePolicy policy) => Rules.GetValue(policy, CaptureCompiler.Compile);

    /// <summary>The rule set as nf_tables chains, with each rule as <see cref="Sluice.Linux.Nftables.NftExprText"/> describes it (what a verify compares).</summary>
    public static NftWanted NftOf(CaptureRuleSet rules) => Nft.GetValue(rules, NftWanted.Of);
}

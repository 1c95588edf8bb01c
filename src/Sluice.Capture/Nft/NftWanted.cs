using Sluice.Capture.Rules;
using Sluice.Linux.Nftables;

namespace Sluice.Capture.Nft;

/// <summary>A rule set's nf_tables chains, and each chain's rules described as the kernel's are when read back.</summary>
internal sealed record NftWanted(IReadOnlyList<NftCaptureChain> Chains, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Described)
{
    public static NftWanted Of(CaptureRuleSet rules)
    {
        var chains = NftCaptureProgram.Compile(rules);
        return new NftWanted(chains, chains.Select(c => (IReadOnlyList<IReadOnlyList<string>>)c.Rules.Select(NftExprText.Describe).ToList()).ToList());
    }
}

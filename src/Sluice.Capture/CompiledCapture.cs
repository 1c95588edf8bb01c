using Sluice.Capture.Nft;
using Sluice.Capture.Rules;

namespace Sluice.Capture;

/// <summary>A policy's rule set, and the forms backends compare with, made on first use.</summary>
internal sealed class CompiledCapture(CaptureRuleSet rules)
{
    private NftWanted? _nft;

    public CaptureRuleSet Rules => rules;

    /// <summary>The rule set as nf_tables chains and the text of each rule (what a verify compares).</summary>
    public NftWanted Nft => _nft ??= NftWanted.Of(rules);
}

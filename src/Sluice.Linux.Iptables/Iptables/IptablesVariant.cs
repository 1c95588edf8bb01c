namespace Sluice.Linux.Iptables;

/// <summary>Which iptables implementation writes the rules: the legacy xtables kernel tables, or nf_tables underneath.</summary>
public enum IptablesVariant
{
    Nft,
    Legacy,
}

/// <summary>The variant chosen and why (for logs and tool output).</summary>
public sealed record IptablesChoice(IptablesVariant Variant, string Reason, bool HoldsRules = false)
{
    public string Name => Variant == IptablesVariant.Legacy ? "legacy" : "nft";
}

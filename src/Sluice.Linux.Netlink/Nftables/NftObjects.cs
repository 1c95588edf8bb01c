namespace Sluice.Linux.Nftables;

/// <summary>A table as listed by the kernel.</summary>
public sealed record NftTableInfo(NftFamily Family, string Name, string? Comment);

/// <summary>A chain as listed by the kernel; hook fields are set for base chains.</summary>
public sealed record NftChainInfo(string Name, string? Type, NftHook? Hook, int? Priority, bool? PolicyAccept);

/// <summary>
/// A rule: its chain, handle and comment, and its expressions as canonical text. The text is
/// described from the kernel's bytes when first asked for, so a reader that picks rules by chain
/// or comment (sluice-portmap's conflict check reads every pod's rules) does not describe them all.
/// </summary>
public sealed class NftRuleInfo(string ruleChain, ulong handle, byte[] expressionBytes, string? comment)
{
    private IReadOnlyList<string>? _expressions;

    public string Chain => ruleChain;

    public ulong Handle => handle;

    public string? Comment => comment;

    public IReadOnlyList<string> Expressions => _expressions ??= NftExprText.Describe(expressionBytes);

    /// <summary>Whether the rule's verdict is a jump or goto to <paramref name="chain"/>.</summary>
    public bool JumpsTo(string chain) => Expressions.Any(e => e.EndsWith($" chain {chain}", StringComparison.Ordinal));
}

/// <summary>A set element: its key bytes, comment, and whether it closes an interval.</summary>
public sealed record NftElementInfo(byte[] Key, string? Comment, bool IntervalEnd = false);

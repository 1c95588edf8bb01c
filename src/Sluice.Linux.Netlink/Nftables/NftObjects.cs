namespace Sluice.Linux.Nftables;

/// <summary>A table as listed by the kernel.</summary>
public sealed record NftTableInfo(NftFamily Family, string Name, string? Comment);

/// <summary>A chain as listed by the kernel; hook fields are set for base chains.</summary>
public sealed record NftChainInfo(string Name, string? Type, NftHook? Hook, int? Priority, bool? PolicyAccept);

/// <summary>A rule: its chain, handle, canonical expression text and comment.</summary>
public sealed record NftRuleInfo(string Chain, ulong Handle, IReadOnlyList<string> Expressions, string? Comment)
{
    /// <summary>Whether the rule's verdict is a jump or goto to <paramref name="chain"/>.</summary>
    public bool JumpsTo(string chain) => Expressions.Any(e => e.EndsWith($" chain {chain}", StringComparison.Ordinal));
}

/// <summary>A set element: its key bytes, comment, and whether it closes an interval.</summary>
public sealed record NftElementInfo(byte[] Key, string? Comment, bool IntervalEnd = false);

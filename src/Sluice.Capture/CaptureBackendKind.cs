namespace Sluice.Capture;

/// <summary>Which backend installs the rules.</summary>
public enum CaptureBackendKind
{
    /// <summary>nftables when the kernel has it, otherwise iptables.</summary>
    Auto,

    /// <summary>Native nftables over netlink, no exec.</summary>
    Nftables,

    /// <summary>iptables-restore, legacy or nft variant as detected or forced.</summary>
    Iptables,
}

/// <summary>What an apply did: the backend used and why, whether anything changed, and which other backends' leftovers it cleared.</summary>
public sealed record CaptureOutcome(string Backend, string Reason, bool Changed, IReadOnlyList<string> Cleared);

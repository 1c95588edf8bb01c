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

/// <summary>Reading a backend choice as flags and configuration spell it.</summary>
public static class CaptureBackends
{
    /// <summary><c>nft</c> (or <c>nftables</c>), <c>iptables</c> or <c>auto</c>, any case; anything else names <paramref name="field"/>.</summary>
    public static CaptureBackendKind Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "nft" or "nftables" => CaptureBackendKind.Nftables,
            "iptables" => CaptureBackendKind.Iptables,
            "auto" => CaptureBackendKind.Auto,
            _ => throw new Policy.PolicyException(field, text, "is not a backend (nft, iptables or auto)"),
        };
    }
}

/// <summary>What an apply did: the backend used and why, whether anything changed, and which other backends' leftovers it cleared.</summary>
public sealed record CaptureOutcome(string Backend, string Reason, bool Changed, IReadOnlyList<string> Cleared);

namespace Sluice.Firewall;

/// <summary>The firewall backend a configuration asks for (<c>auto</c>, <c>iptables</c>, <c>nftables</c>).</summary>
public enum FirewallBackend
{
    Auto,
    Iptables,
    Nftables,
}

/// <summary>Reads a configuration's backend value, as every plugin's key takes it.</summary>
public static class FirewallBackends
{
    public const string Choices = "auto, iptables, nftables";

    /// <summary>auto (or nothing), iptables, nftables (or nft), any case; false for anything else.</summary>
    public static bool TryParse(string? value, out FirewallBackend backend)
    {
        backend = value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "AUTO" => FirewallBackend.Auto,
            "IPTABLES" => FirewallBackend.Iptables,
            "NFTABLES" or "NFT" => FirewallBackend.Nftables,
            _ => (FirewallBackend)(-1),
        };
        return Enum.IsDefined(backend);
    }
}

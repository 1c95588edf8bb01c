
namespace Sluice.Bridge;

/// <summary>
/// Names derived from an attachment, so every command can find what ADD made without stored
/// state: the host veth is <c>veth</c> + 8 hex digits of a hash of (network, container, ifname),
/// and links and firewall entries carry a tag naming the attachment.
/// </summary>
public static class AttachmentNames
{
    public const string TagPrefix = "sluice ";

    public static string HostVeth(string network, string containerId, string ifName) =>
        "veth" + Hash(network, containerId, ifName);

    /// <summary><c>sluice NETWORK CONTAINERID IFNAME</c>: on the host veth (ifalias) and on firewall entries.</summary>
    public static string Tag(string network, string containerId, string ifName) => $"{TagPrefix}{network} {containerId} {ifName}";

    /// <summary>
    /// <c>sluice-released NETWORK CONTAINERID IFNAME</c>: the host veth's tag once DEL has released
    /// it (detached from the bridge, down, its address back in the pool) and left the deletion to
    /// the namespace's teardown (docs/bridge.md, "DEL"). Nothing counts it as a live attachment.
    /// </summary>
    public static string ReleasedTag(string network, string containerId, string ifName) => $"{ReleasedPrefix}{network} {containerId} {ifName}";

    public const string ReleasedPrefix = "sluice-released ";

    /// <summary>The (container, ifname) a tag of <paramref name="network"/> names, or null for other tags.</summary>
    public static (string ContainerId, string IfName)? ParseTag(string? tag, string network) => Parse(tag, TagPrefix, network);

    /// <summary>The (container, ifname) a released tag of <paramref name="network"/> names, or null for other tags.</summary>
    public static (string ContainerId, string IfName)? ParseReleasedTag(string? tag, string network) => Parse(tag, ReleasedPrefix, network);

    private static (string ContainerId, string IfName)? Parse(string? tag, string tagPrefix, string network)
    {
        var prefix = $"{tagPrefix}{network} ";
        if (tag is null || !tag.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = tag[prefix.Length..].Split(' ');
        return parts.Length == 2 ? (parts[0], parts[1]) : null;
    }

    /// <summary>8 hex digits identifying a network in chain and set names.</summary>
    public static string NetworkId(string network) => Hash(network);

    private static string Hash(params string[] parts) =>
        ((uint)(StableHash.Of(string.Join('\0', parts)) >> 32)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}

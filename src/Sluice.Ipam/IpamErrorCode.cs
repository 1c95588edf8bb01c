namespace Sluice.Ipam;

/// <summary>sluice-ipam's own error codes (the spec leaves 100 and above to plugins).</summary>
public static class IpamErrorCode
{
    /// <summary>A requested address is allocated to another attachment.</summary>
    public const int AddressInUse = 110;

    /// <summary>ADD for an attachment that already holds addresses in this network (spec: invalid without a DEL first).</summary>
    public const int DuplicateAllocation = 112;
}

namespace Sluice.Cni.Results;

/// <summary>Shapes a result for one spec version, in either direction (spec §Result, "Version conversion").</summary>
public static class ResultConversion
{
    /// <summary>
    /// A copy of <paramref name="result"/> as the given version prints it: 0.3.x/0.4.0 results carry
    /// <c>ips[].version</c> (derived from the address family), 1.0.0 drops it, and fields added in
    /// 1.1.0 are dropped below 1.1.0.
    /// </summary>
    public static CniResult ToVersion(CniResult result, string version)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!CniVersions.IsSupported(version))
        {
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                $"cannot convert a result to CNI version {version}: supported versions are {string.Join(", ", CniVersions.Supported)}");
        }

        var copy = result.Clone();
        copy.CniVersion = version;
        var hasIpVersion = !CniVersions.AtLeast(version, CniVersions.V1_0_0);
        var has11Fields = CniVersions.AtLeast(version, CniVersions.V1_1_0);

        foreach (var ip in copy.Ips ?? [])
        {
            ip.Version = hasIpVersion ? (ip.ParsedAddress.IsIPv4 ? "4" : "6") : null;
        }

        if (!has11Fields)
        {
            foreach (var item in copy.Interfaces ?? [])
            {
                item.Mtu = null;
                item.SocketPath = null;
                item.PciId = null;
            }

            foreach (var route in copy.Routes ?? [])
            {
                route.Mtu = null;
                route.AdvMss = null;
                route.Priority = null;
                route.Table = null;
                route.Scope = null;
            }
        }

        return copy;
    }
}

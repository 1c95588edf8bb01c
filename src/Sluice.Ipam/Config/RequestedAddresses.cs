using System.Net;
using Sluice.Cni;
using Sluice.Cni.Config;
using Sluice.Net;

namespace Sluice.Ipam.Config;

/// <summary>
/// Addresses the runtime asked for, from <c>CNI_ARGS IP=</c> (comma-separated),
/// <c>args.cni.ips</c> and <c>runtimeConfig.ips</c> (CONVENTIONS.md). Entries may carry a prefix
/// length, which is ignored: the range decides the prefix.
/// </summary>
public static class RequestedAddresses
{
    public static IReadOnlyList<IPAddress> From(NetworkConfig config, CniArgs args)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<IPAddress>();
        if (args.Get("IP") is { Length: > 0 } fromArgs)
        {
            foreach (var item in fromArgs.Split(','))
            {
                result.Add(Parse(item, "CNI_ARGS IP", CniErrorCode.InvalidEnvironmentVariables));
            }
        }

        foreach (var item in config.Args?.Cni?.Ips ?? [])
        {
            result.Add(Parse(item, "args.cni.ips", CniErrorCode.InvalidNetworkConfig));
        }

        foreach (var item in config.RuntimeConfig?.Ips ?? [])
        {
            result.Add(Parse(item, "runtimeConfig.ips", CniErrorCode.InvalidNetworkConfig));
        }

        return result.Distinct().ToList();
    }

    private static IPAddress Parse(string text, string field, int code)
    {
        var trimmed = text.Trim();
        if (InterfaceAddress.TryParse(trimmed, out var withPrefix))
        {
            return withPrefix.Address;
        }

        return IpText.TryParse(trimmed, out var address)
            ? address
            : throw new CniException(code, $"{field} '{text}' is not an IP address");
    }
}

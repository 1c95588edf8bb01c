using System.Globalization;
using Sluice.Net;

namespace Sluice.Cni.Results;

/// <summary>Checks a result read from JSON (a <c>prevResult</c> or a delegate's output) field by field.</summary>
public static class ResultValidation
{
    /// <summary>Throws a decoding-failure CNI error naming the first bad field under <paramref name="field"/>.</summary>
    public static void Validate(CniResult result, string field)
    {
        ArgumentNullException.ThrowIfNull(result);
        var interfaceCount = result.Interfaces?.Count ?? 0;
        for (var i = 0; i < interfaceCount; i++)
        {
            if (string.IsNullOrEmpty(result.Interfaces![i].Name))
            {
                throw Bad($"{field}.interfaces[{I(i)}].name", "", "must not be empty");
            }
        }

        for (var i = 0; i < (result.Ips?.Count ?? 0); i++)
        {
            ValidateIp(result.Ips![i], $"{field}.ips[{I(i)}]", interfaceCount);
        }

        for (var i = 0; i < (result.Routes?.Count ?? 0); i++)
        {
            var route = result.Routes![i];
            var name = $"{field}.routes[{I(i)}]";
            if (!InterfaceAddress.TryParse(route.Dst, out _))
            {
                throw Bad($"{name}.dst", route.Dst, "is not a CIDR");
            }

            if (route.Gw is not null && !IpText.TryParse(route.Gw, out _))
            {
                throw Bad($"{name}.gw", route.Gw, "is not an IP address");
            }
        }

        foreach (var (server, i) in (result.Dns?.Nameservers ?? []).Select((s, i) => (s, i)))
        {
            if (!IpText.TryParse(server, out _))
            {
                throw Bad($"{field}.dns.nameservers[{I(i)}]", server, "is not an IP address");
            }
        }
    }

    private static void ValidateIp(CniIpConfig ip, string name, int interfaceCount)
    {
        if (!InterfaceAddress.TryParse(ip.Address, out var address))
        {
            throw Bad($"{name}.address", ip.Address, "is not an address with a prefix length");
        }

        if (ip.Version is not null && ip.Version != (address.IsIPv4 ? "4" : "6"))
        {
            throw Bad($"{name}.version", ip.Version, $"does not match the address family of {ip.Address}");
        }

        if (ip.Gateway is not null)
        {
            if (!IpText.TryParse(ip.Gateway, out var gateway))
            {
                throw Bad($"{name}.gateway", ip.Gateway, "is not an IP address");
            }

            if (gateway.AddressFamily != address.Address.AddressFamily)
            {
                throw Bad($"{name}.gateway", ip.Gateway, $"is not of the address family of {ip.Address}");
            }
        }

        if (ip.Interface is { } index && (index < 0 || index >= interfaceCount))
        {
            throw Bad($"{name}.interface", I(index), $"is not an index into interfaces (there are {I(interfaceCount)})");
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static CniException Bad(string field, string value, string problem) =>
        new(CniErrorCode.DecodingFailure, $"{field} '{value}' {problem}");
}

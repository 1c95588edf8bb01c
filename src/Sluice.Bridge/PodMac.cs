using System.Globalization;
using System.Net.NetworkInformation;
using Sluice.Cni;

namespace Sluice.Bridge;

/// <summary>The MAC the runtime asks for: CNI_ARGS <c>MAC=</c>, <c>args.cni.mac</c> or the <c>mac</c> capability (runtimeConfig).</summary>
internal static class PodMac
{
    public static PhysicalAddress? From(BridgeConfig config, CniArgs args)
    {
        if (args.Get("MAC") is { Length: > 0 } fromArgs)
        {
            return Parse(fromArgs, "CNI_ARGS MAC", CniErrorCode.InvalidEnvironmentVariables);
        }

        if (config.Args?.Cni?.Mac is { Length: > 0 } fromConfigArgs)
        {
            return Parse(fromConfigArgs, "args.cni.mac", CniErrorCode.InvalidNetworkConfig);
        }

        return config.RuntimeConfig?.Mac is { Length: > 0 } fromRuntime
            ? Parse(fromRuntime, "runtimeConfig.mac", CniErrorCode.InvalidNetworkConfig)
            : null;
    }

    public static string Format(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static PhysicalAddress Parse(string text, string field, int code)
    {
        var parts = text.Split(':');
        var bytes = new byte[6];
        if (parts.Length != 6 || !parts.Select((p, i) => p.Length == 2 && byte.TryParse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i])).All(ok => ok))
        {
            throw new CniException(code, $"{field} '{text}' is not a MAC address like 0a:58:0a:16:00:05");
        }

        return (bytes[0] & 1) != 0
            ? throw new CniException(code, $"{field} '{text}' is a multicast address; a pod needs a unicast MAC")
            : new PhysicalAddress(bytes);
    }
}

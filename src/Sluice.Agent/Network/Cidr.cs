using System.Globalization;
using System.Net;

namespace Sluice.Agent.Network;

/// <summary>CIDR text as Kubernetes writes it: a network address and a prefix length, nothing after the prefix set (IPNetwork.TryParse would quietly mask 10.244.1.7/24 to 10.244.1.0/24).</summary>
public static class Cidr
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            || !IPNetwork.TryParse(text, out network))
        {
            return false;
        }

        return network.BaseAddress.Equals(address);
    }
}

using System.Net.Sockets;

namespace Sluice.Agent.Network;

/// <summary>
/// The VXLAN backend's tunnel: the VNI and UDP port every node uses (flannel's 1 and 8472 by
/// default, so the same firewall openings serve), and the device name: <see cref="Device"/> for
/// the IPv4 underlay, the same with "6" for the IPv6 one.
/// </summary>
public sealed record VxlanOptions(uint Vni, int Port, string Device)
{
    public const string DefaultDevice = "sluice.vxlan";

    /// <summary>IFNAMSIZ less the terminating NUL and the IPv6 device's "6".</summary>
    public const int MaximumDeviceLength = 14;

    public static readonly VxlanOptions Default = new(1, 8472, DefaultDevice);

    public string DeviceFor(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Device + "6" : Device;

    /// <summary>A VNI: 1 to 16777215 (24 bits; 0 is left out, as flannel does).</summary>
    /// <exception cref="Sluice.CommandLine.InvalidValueException">Anything else.</exception>
    public static uint ParseVni(string text) =>
        uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var vni) && vni is >= 1 and <= Sluice.Linux.Rtnetlink.VxlanSettings.MaximumVni
            ? vni
            : throw new Sluice.CommandLine.InvalidValueException("is not a VNI (1-16777215)");

    /// <summary>
    /// An interface name the kernel accepts, leaving room for the IPv6 device's "6": 1 to 14 of
    /// letters, digits, '.', '-' and '_', not starting with '.' (so never "." or "..").
    /// </summary>
    /// <exception cref="Sluice.CommandLine.InvalidValueException">Anything else.</exception>
    public static string ParseDevice(string text) =>
        text.Length is > 0 and <= MaximumDeviceLength && text[0] != '.' && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? text
            : throw new Sluice.CommandLine.InvalidValueException($"is not a device name (1-{MaximumDeviceLength} letters, digits, '.', '-' or '_', not starting with '.'; the IPv6 device adds '6')");
}

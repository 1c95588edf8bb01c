using System.Globalization;
using System.Net;
using System.Text;
using Sluice.Net;

namespace Sluice.Portmap;

/// <summary>
/// The comment on every rule of a forward (nftables rule userdata, iptables <c>-m comment</c>):
/// <c>NETWORK CONTAINERID IFNAME PROTO HOSTIP|* HOSTPORT PODIP CONTAINERPORT</c>. It says whose the
/// rule is and what it forwards, so DEL and GC need neither the netns nor prevResult, and a
/// conflicting ADD can name the owner. Characters outside <c>[A-Za-z0-9._+@-]</c> in the names
/// are percent-encoded, so a tag never needs quoting beyond iptables' double quotes.
/// </summary>
public static class PortForwardTag
{
    /// <summary>The shorter of the two limits: nftables' userdata comment (iptables allows 255).</summary>
    public const int MaxLength = 250;

    private const string Any = "*";

    public static string Format(PortForward forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        var owner = forward.Owner;
        return string.Join(
            ' ',
            Encode(owner.Network),
            Encode(owner.ContainerId),
            Encode(owner.IfName),
            MappingProtocols.Name(forward.Protocol),
            forward.HostIp?.ToString() ?? Any,
            forward.HostPort.ToString(CultureInfo.InvariantCulture),
            forward.PodAddress.ToString(),
            forward.ContainerPort.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The forward a tag describes, or null for a comment that is not a well-formed tag.</summary>
    public static PortForward? Parse(string? tag)
    {
        var parts = tag?.Split(' ');
        if (parts is not { Length: 8 } ||
            Decode(parts[0]) is not { } network || Decode(parts[1]) is not { } container || Decode(parts[2]) is not { } ifName ||
            MappingProtocols.Parse(parts[3]) is not { } protocol || parts[3].Length == 0 ||
            !TryPort(parts[5], out var hostPort) || !IpText.TryParse(parts[6], out var pod) || !TryPort(parts[7], out var containerPort))
        {
            return null;
        }

        IPAddress? hostIp = null;
        if (parts[4] != Any && !IpText.TryParse(parts[4], out hostIp))
        {
            return null;
        }

        return new PortForward(new MappingOwner(network, container, ifName), protocol, hostIp, hostPort, pod, containerPort);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static string Encode(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (IsPlain((char)b))
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    private static string? Decode(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                if (!IsPlain(text[i]))
                {
                    return null;
                }

                bytes.Add((byte)text[i]);
            }
            else if (i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                return null;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '@' or '-';
}

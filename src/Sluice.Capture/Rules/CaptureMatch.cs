using System.Net;
using Sluice.Capture.Policy;

namespace Sluice.Capture.Rules;

/// <summary>
/// One condition of a capture rule, independent of the backend. <see cref="Rank"/> is the order
/// both backends write conditions in (the order iptables-save prints them, which also puts a
/// protocol before its ports as nftables requires).
/// </summary>
public abstract record CaptureMatch
{
    internal abstract int Rank { get; }
}

/// <summary>The transport protocol.</summary>
public enum CaptureProtocol
{
    Tcp,
    Udp,
}

/// <summary><c>-p tcp</c> / <c>meta l4proto tcp</c></summary>
public sealed record ProtocolMatch(CaptureProtocol Protocol) : CaptureMatch
{
    internal override int Rank => 5;
}

/// <summary><c>[!] -s|-d NETWORK</c></summary>
public sealed record AddressMatch(IPNetwork Network, bool Source, bool Negate = false) : CaptureMatch
{
    internal override int Rank => Source ? 1 : 2;
}

/// <summary><c>[!] -i|-o NAME</c></summary>
public sealed record InterfaceMatch(string Name, bool Input, bool Negate = false) : CaptureMatch
{
    internal override int Rank => Input ? 3 : 4;
}

/// <summary><c>--dport [!] PORT|FIRST:LAST</c> (the rule also matches a protocol).</summary>
public sealed record PortMatch(PortRange Range, bool Negate = false) : CaptureMatch
{
    internal override int Rank => 6;
}

/// <summary><c>-m owner [!] --uid-owner|--gid-owner ID</c></summary>
public sealed record OwnerMatch(uint Id, bool Group, bool Negate = false) : CaptureMatch
{
    internal override int Rank => 7;
}

/// <summary><c>-m mark [!] --mark VALUE</c></summary>
public sealed record MarkMatch(uint Mark, bool Negate = false) : CaptureMatch
{
    internal override int Rank => 8;
}

/// <summary><c>-m conntrack --ctstate INVALID</c></summary>
public sealed record InvalidStateMatch : CaptureMatch
{
    internal override int Rank => 9;
}

/// <summary>
/// <c>-m conntrack --ctstate RELATED,ESTABLISHED</c>: the packet belongs to a connection already
/// seen (a TPROXY'd one, or a reply to one the pod opened), so it is routed locally, not TPROXY'd again.
/// </summary>
public sealed record EstablishedMatch : CaptureMatch
{
    internal override int Rank => 10;
}

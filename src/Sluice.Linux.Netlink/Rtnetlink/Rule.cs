using System.Net.Sockets;

namespace Sluice.Linux.Rtnetlink;

/// <summary>A policy-routing rule that sends marked packets to a table (<c>ip rule add fwmark M/MASK lookup T priority P</c>).</summary>
public sealed record Rule(AddressFamily Family, uint Mark, uint Mask, int Table, int Priority);

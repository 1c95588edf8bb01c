using System.Net;
using System.Net.NetworkInformation;

namespace Sluice.Linux.Rtnetlink;

/// <summary>A neighbour (ARP/NDP) entry (<c>ip neigh show</c>).</summary>
public sealed record Neighbour(int Index, IPAddress Address, PhysicalAddress? Mac, ushort State);

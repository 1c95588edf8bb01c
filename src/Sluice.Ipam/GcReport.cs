using System.Net;
using Sluice.Ipam.Store;

namespace Sluice.Ipam;

/// <summary>What a GC released, and what it could not.</summary>
public sealed record GcReport(IReadOnlyList<(IPAddress Address, StoredOwner? Owner)> Released, IReadOnlyList<string> Errors);

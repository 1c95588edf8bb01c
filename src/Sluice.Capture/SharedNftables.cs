using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;

namespace Sluice.Capture;

/// <summary>
/// An engine's one nf_tables socket in its namespace, opened on first use and shared by every
/// backend that reads or writes nf_tables (native nftables, and iptables-nft's state). One socket
/// matters: closing a netfilter socket after a table was deleted waits for the kernel (an RCU
/// grace period; docs/benchmarks.md), so every extra socket would add that wait to a removal.
/// </summary>
internal sealed class SharedNftables(NetNs? ns) : IDisposable
{
    private Nftables? _socket;
    private bool? _supported;

    public Nftables Socket => _socket ??= ns is null ? Nftables.Open() : Nftables.OpenIn(ns);

    /// <summary>Whether the kernel has nf_tables (asked once).</summary>
    public bool Supported => _supported ??= Socket.IsSupported();

    /// <summary>The nf_tables tables in one dump, which also answers <see cref="Supported"/>; none without nf_tables.</summary>
    public IReadOnlyList<NftTableInfo> TablesIfSupported()
    {
        if (_supported == false)
        {
            return [];
        }

        _supported = Socket.TryListTables(out var tables);
        return tables;
    }

    public void Dispose() => _socket?.Dispose();
}

using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;

namespace Sluice.Capture;

/// <summary>
/// An engine's one nf_tables socket in its namespace, opened on first use and shared by every
/// backend that reads or writes nf_tables (native nftables, and iptables-nft's state). One socket
/// matters: closing a netfilter socket after a table was deleted waits for the kernel (an RCU
/// grace period; docs/benchmarks.md), so every extra socket would add that wait to a removal.
/// During a <see cref="Look"/> (a verify, which writes nothing) the table list is dumped once and
/// answers every backend's question about tables.
/// </summary>
internal sealed class SharedNftables(NetNs? ns) : IDisposable
{
    private Nftables? _socket;
    private bool? _supported;
    private int _looking;
    private IReadOnlyList<NftTableInfo>? _looked;
    private IReadOnlyList<NftTableInfo>? _probed;

    public Nftables Socket => _socket ??= ns is null ? Nftables.Open() : Nftables.OpenIn(ns);

    /// <summary>Whether the kernel has nf_tables (asked once, by listing the tables: the first <see cref="Look"/> starts from that list unless something was written since).</summary>
    public bool Supported => _supported ??= Probe();

    /// <summary>The engine is about to write: a table list read before is out of date.</summary>
    public void Writing() => _probed = null;

    /// <summary>The nf_tables tables in one dump, which also answers <see cref="Supported"/>; none without nf_tables.</summary>
    public IReadOnlyList<NftTableInfo> TablesIfSupported()
    {
        if (_supported == false)
        {
            return [];
        }

        if (_looked is not null)
        {
            return _looked;
        }

        _supported = Socket.TryListTables(out var tables);
        if (_looking > 0)
        {
            _looked = tables;
        }

        return tables;
    }

    /// <summary><c>nft list table FAMILY NAME</c> succeeds.</summary>
    public bool TableExists(NftFamily family, string name)
    {
        foreach (var table in _looking > 0 ? TablesIfSupported() : Socket.ListTables())
        {
            if (table.Family == family && table.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Until disposed, nothing is written through this engine: one table dump serves every question.</summary>
    public ReadOnlyLook Look()
    {
        if (_looking++ == 0)
        {
            (_looked, _probed) = (_probed, null);
        }

        return new ReadOnlyLook(this);
    }

    public void Dispose() => _socket?.Dispose();

    private bool Probe()
    {
        var supported = Socket.TryListTables(out var tables);
        _probed = supported ? tables : null;
        return supported;
    }

    internal readonly struct ReadOnlyLook(SharedNftables owner) : IDisposable
    {
        public void Dispose()
        {
            if (--owner._looking == 0)
            {
                owner._looked = null;
            }
        }
    }
}

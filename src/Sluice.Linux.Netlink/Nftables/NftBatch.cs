using Sluice.Linux.Netlink;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Nftables.NftConstants;

namespace Sluice.Linux.Nftables;

/// <summary>
/// An nf_tables transaction: every change between BATCH_BEGIN and BATCH_END is applied by the
/// kernel all together or not at all. "Add" of a table, chain or set that exists is not an error,
/// so a batch that adds, flushes and refills converges to the same state however often it runs.
/// The batch has its own buffer, so listings made while building it do not disturb it.
/// </summary>
public sealed class NftBatch
{
    private readonly NetlinkSocket _socket;
    private readonly Dictionary<uint, string> _messages = [];
    private uint _setId;

    internal NftBatch(NetlinkSocket socket)
    {
        _socket = socket;
        var sequence = socket.NextSequence();
        _messages[sequence] = "starting the nftables transaction";
        var start = Writer.BeginMessage(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, sequence);
        Writer.Struct(NfGenMsg.For(NftFamily.Unspec, NFNL_SUBSYS_NFTABLES));
        Writer.EndMessage(start);
    }

    /// <summary>How many changes the batch holds.</summary>
    public int Count => _messages.Count - 1;

    public IReadOnlyDictionary<uint, string> Messages => _messages;

    internal NetlinkWriter Writer { get; } = new();

    /// <summary><c>add table FAMILY NAME [{ comment "…" }]</c></summary>
    public NftBatch AddTable(NftFamily family, string table, string? comment = null)
    {
        var start = Begin(NFT_MSG_NEWTABLE, NLM_F_CREATE, family, $"adding table {Name(family)} {table}");
        Writer.AttributeString(NFTA_TABLE_NAME, table);
        if (comment is not null)
        {
            Writer.Attribute(NFTA_TABLE_USERDATA, NftUserData.Comment(comment));
        }

        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>delete table FAMILY NAME</c> (fails with ENOENT when missing; see <see cref="DestroyTable"/>).</summary>
    public NftBatch DeleteTable(NftFamily family, string table)
    {
        var start = Begin(NFT_MSG_DELTABLE, 0, family, $"deleting table {Name(family)} {table}");
        Writer.AttributeString(NFTA_TABLE_NAME, table);
        Writer.EndMessage(start);
        return this;
    }

    /// <summary>Deletes a table whether or not it exists (add, then delete, in one transaction).</summary>
    public NftBatch DestroyTable(NftFamily family, string table) => AddTable(family, table).DeleteTable(family, table);

    /// <summary><c>add chain FAMILY TABLE NAME [{ type T hook H priority P; policy …; }]</c></summary>
    public NftBatch AddChain(NftFamily family, string table, string chain, NftBaseChain? baseChain = null)
    {
        var start = Begin(NFT_MSG_NEWCHAIN, NLM_F_CREATE, family, $"adding chain {chain} to table {Name(family)} {table}");
        Writer.AttributeString(NFTA_CHAIN_TABLE, table);
        Writer.AttributeString(NFTA_CHAIN_NAME, chain);
        if (baseChain is not null)
        {
            var hook = Writer.BeginNested(NFTA_CHAIN_HOOK);
            Writer.AttributeU32BigEndian(NFTA_HOOK_HOOKNUM, (uint)baseChain.Hook);
            Writer.AttributeU32BigEndian(NFTA_HOOK_PRIORITY, unchecked((uint)baseChain.Priority));
            Writer.EndNested(hook);
            Writer.AttributeU32BigEndian(NFTA_CHAIN_POLICY, baseChain.PolicyAccept ? (uint)NF_ACCEPT : NF_DROP);
            Writer.AttributeString(NFTA_CHAIN_TYPE, baseChain.Type);
        }

        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>flush chain FAMILY TABLE NAME</c>: removes every rule of the chain.</summary>
    public NftBatch FlushChain(NftFamily family, string table, string chain)
    {
        var start = Begin(NFT_MSG_DELRULE, 0, family, $"flushing chain {chain} of table {Name(family)} {table}");
        Writer.AttributeString(NFTA_RULE_TABLE, table);
        Writer.AttributeString(NFTA_RULE_CHAIN, chain);
        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>add rule FAMILY TABLE CHAIN EXPRESSIONS [comment "…"]</c> (appended).</summary>
    public NftBatch AddRule(NftFamily family, string table, string chain, IEnumerable<NftExpr> expressions, string? comment = null)
    {
        var start = Begin(NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, family, $"adding rule to chain {chain} of table {Name(family)} {table}");
        Writer.AttributeString(NFTA_RULE_TABLE, table);
        Writer.AttributeString(NFTA_RULE_CHAIN, chain);
        WriteExpressions(Writer, expressions);
        if (comment is not null)
        {
            Writer.Attribute(NFTA_RULE_USERDATA, NftUserData.Comment(comment));
        }

        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>add set FAMILY TABLE NAME { type KEY; [flags interval;] }</c></summary>
    public NftBatch AddSet(NftFamily family, string table, string set, NftSetKey key, bool interval = false)
    {
        var start = Begin(NFT_MSG_NEWSET, NLM_F_CREATE, family, $"adding set {set} to table {Name(family)} {table}");
        Writer.AttributeString(NFTA_SET_TABLE, table);
        Writer.AttributeString(NFTA_SET_NAME, set);
        Writer.AttributeU32BigEndian(NFTA_SET_FLAGS, interval ? NFT_SET_INTERVAL : 0);
        var (type, length) = key switch
        {
            NftSetKey.Ipv4Address => (7u, 4u),
            NftSetKey.Ipv6Address => (8u, 16u),
            _ => (13u, 2u),
        };
        Writer.AttributeU32BigEndian(NFTA_SET_KEY_TYPE, type);
        Writer.AttributeU32BigEndian(NFTA_SET_KEY_LEN, length);
        Writer.AttributeU32BigEndian(NFTA_SET_ID, ++_setId);
        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>flush set FAMILY TABLE NAME</c></summary>
    public NftBatch FlushSet(NftFamily family, string table, string set)
    {
        var start = Begin(NFT_MSG_DELSETELEM, 0, family, $"flushing set {set} of table {Name(family)} {table}");
        Writer.AttributeString(NFTA_SET_ELEM_LIST_TABLE, table);
        Writer.AttributeString(NFTA_SET_ELEM_LIST_SET, set);
        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>add element FAMILY TABLE SET { KEY [comment "…"], … }</c>; an element that exists is kept.</summary>
    public NftBatch AddElements(NftFamily family, string table, string set, IEnumerable<(byte[] Key, string? Comment)> elements) =>
        Elements(NFT_MSG_NEWSETELEM, NLM_F_CREATE, family, table, set, elements, "adding elements to");

    /// <summary>
    /// <c>add element FAMILY TABLE SET { NETWORK, … }</c> for an interval set: each network is a start
    /// element and an end element (the first address after it, flagged INTERVAL_END).
    /// </summary>
    public NftBatch AddNetworks(NftFamily family, string table, string set, IEnumerable<System.Net.IPNetwork> networks)
    {
        var start = Begin(NFT_MSG_NEWSETELEM, NLM_F_CREATE, family, $"adding networks to set {set} of table {Name(family)} {table}");
        Writer.AttributeString(NFTA_SET_ELEM_LIST_TABLE, table);
        Writer.AttributeString(NFTA_SET_ELEM_LIST_SET, set);
        var list = Writer.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        foreach (var network in networks)
        {
            var (first, after) = NftIntervals.Bounds(network);
            var element = Writer.BeginNested(NFTA_LIST_ELEM);
            NftExpr.WriteValue(Writer, NFTA_SET_ELEM_KEY, first);
            Writer.EndNested(element);
            if (after is not null)
            {
                element = Writer.BeginNested(NFTA_LIST_ELEM);
                NftExpr.WriteValue(Writer, NFTA_SET_ELEM_KEY, after);
                Writer.AttributeU32BigEndian(NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
                Writer.EndNested(element);
            }
        }

        Writer.EndNested(list);
        Writer.EndMessage(start);
        return this;
    }

    /// <summary><c>delete element FAMILY TABLE SET { KEY, … }</c>; ENOENT when one is missing.</summary>
    public NftBatch DeleteElements(NftFamily family, string table, string set, IEnumerable<byte[]> keys) =>
        Elements(NFT_MSG_DELSETELEM, 0, family, table, set, keys.Select(key => (key, (string?)null)), "deleting elements from");

    internal void End()
    {
        var start = Writer.BeginMessage(NFNL_MSG_BATCH_END, NLM_F_REQUEST, _socket.NextSequence());
        Writer.Struct(NfGenMsg.For(NftFamily.Unspec, NFNL_SUBSYS_NFTABLES));
        Writer.EndMessage(start);
    }

    internal static void WriteExpressions(NetlinkWriter writer, IEnumerable<NftExpr> expressions)
    {
        var list = writer.BeginNested(NFTA_RULE_EXPRESSIONS);
        foreach (var expression in expressions)
        {
            var element = writer.BeginNested(NFTA_LIST_ELEM);
            writer.AttributeString(NFTA_EXPR_NAME, expression.Name);
            var data = writer.BeginNested(NFTA_EXPR_DATA);
            expression.WriteData(writer);
            writer.EndNested(data);
            writer.EndNested(element);
        }

        writer.EndNested(list);
    }

    public static string Name(NftFamily family) => family switch
    {
        NftFamily.Inet => "inet",
        NftFamily.Ip => "ip",
        NftFamily.Ip6 => "ip6",
        NftFamily.Bridge => "bridge",
        NftFamily.Netdev => "netdev",
        NftFamily.Arp => "arp",
        _ => "unspec",
    };

    private NftBatch Elements(ushort type, ushort flags, NftFamily family, string table, string set, IEnumerable<(byte[] Key, string? Comment)> elements, string verb)
    {
        var start = Begin(type, flags, family, $"{verb} set {set} of table {Name(family)} {table}");
        Writer.AttributeString(NFTA_SET_ELEM_LIST_TABLE, table);
        Writer.AttributeString(NFTA_SET_ELEM_LIST_SET, set);
        var list = Writer.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        foreach (var (key, comment) in elements)
        {
            var element = Writer.BeginNested(NFTA_LIST_ELEM);
            NftExpr.WriteValue(Writer, NFTA_SET_ELEM_KEY, key);
            if (comment is not null)
            {
                Writer.Attribute(NFTA_SET_ELEM_USERDATA, NftUserData.Comment(comment));
            }

            Writer.EndNested(element);
        }

        Writer.EndNested(list);
        Writer.EndMessage(start);
        return this;
    }

    private int Begin(ushort message, ushort flags, NftFamily family, string description)
    {
        var sequence = _socket.NextSequence();
        _messages[sequence] = description;
        // No NLM_F_ACK: within a batch the kernel reports every failing message anyway, and
        // success then costs no reply at all.
        var start = Writer.BeginMessage((ushort)((NFNL_SUBSYS_NFTABLES << 8) | message), (ushort)(NLM_F_REQUEST | flags), sequence);
        Writer.Struct(NfGenMsg.For(family));
        return start;
    }
}

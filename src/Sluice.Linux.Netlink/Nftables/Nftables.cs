using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Netlink;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Nftables.NftConstants;

namespace Sluice.Linux.Nftables;

/// <summary>
/// nf_tables over NETLINK_NETFILTER in one network namespace, without the nft binary: atomic
/// batches, and listings of tables, chains, rules and set elements for verification and cleanup.
/// </summary>
public sealed class Nftables : IDisposable
{
    private readonly NetlinkSocket _socket;

    private Nftables(NetlinkSocket socket) => _socket = socket;

    public string Location => _socket.Location;

    public static Nftables Open(string location = "host netns") => new(NetlinkSocket.Open(NETLINK_NETFILTER, location));

    public static Nftables OpenIn(NetNs ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Open(ns.Description));
    }

    /// <summary>Starts a transaction; nothing reaches the kernel before <see cref="Commit"/>.</summary>
    public NftBatch Batch() => new(_socket);

    /// <summary>Applies the batch atomically; the error names the change that failed.</summary>
    public void Commit(NftBatch batch, string operation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.End();
        _socket.ExecuteBatch(batch.Writer.Written, batch.Messages, $"{operation} in {Location}");
    }

    /// <summary>Whether the kernel answers nf_tables requests here (module present and loadable).</summary>
    public bool IsSupported() => TryListTables(out _);

    /// <summary>The tables, in one dump; false (and none) when the kernel has no nf_tables.</summary>
    public bool TryListTables(out IReadOnlyList<NftTableInfo> tables)
    {
        try
        {
            tables = ListTables();
            return true;
        }
        catch (LinuxException error) when (error.ErrorNumber is Errno.EOPNOTSUPP or Errno.EPROTONOSUPPORT or Errno.ENOENT or Errno.EAFNOSUPPORT)
        {
            tables = [];
            return false;
        }
    }

    /// <summary><c>nft list tables</c></summary>
    public IReadOnlyList<NftTableInfo> ListTables()
    {
        return Dump(NFT_MSG_GETTABLE, NftFamily.Unspec, null, "listing nftables tables", (in NetlinkMessage message, ICollection<NftTableInfo> tables) =>
        {
            string? name = null, comment = null;
            var reader = Attributes(message);
            while (reader.Next(out var type, out var value))
            {
                if (type == NFTA_TABLE_NAME)
                {
                    name = AttributeReader.String(value);
                }
                else if (type == NFTA_TABLE_USERDATA)
                {
                    comment = NftUserData.ReadComment(value);
                }
            }

            if (name is not null)
            {
                tables.Add(new NftTableInfo((NftFamily)message.Payload[0], name, comment));
            }
        });
    }

    /// <summary>
    /// The ruleset's generation in this namespace: the kernel counts it up with every committed
    /// transaction, whoever commits it (nft, iptables-nft, kube-proxy, Sluice).
    /// </summary>
    public uint Generation()
    {
        uint? generation = null;
        var start = _socket.Begin((ushort)((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN), 0);
        _socket.Writer.Struct(NfGenMsg.For(NftFamily.Unspec));
        _socket.Query(start, $"reading the nftables generation in {Location}", (in NetlinkMessage reply) =>
        {
            if (reply.Type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN))
            {
                return;
            }

            var reader = Attributes(reply);
            while (reader.Next(out var type, out var value))
            {
                if (type == NFTA_GEN_ID)
                {
                    generation = AttributeReader.U32BigEndian(value);
                }
            }
        });
        return generation ?? throw new LinuxException($"reading the nftables generation in {Location}: the kernel's answer has no generation", Errno.EPROTO);
    }

    /// <summary>The cookie of this socket's network namespace (see <see cref="NetlinkSocket.NamespaceCookie"/>).</summary>
    public ulong? NamespaceCookie() => _socket.NamespaceCookie();

    public bool TableExists(NftFamily family, string table) => ListTables().Any(t => t.Family == family && t.Name == table);

    /// <summary><c>nft list chains FAMILY TABLE</c> (empty when the table does not exist).</summary>
    public IReadOnlyList<NftChainInfo> ListChains(NftFamily family, string table)
    {
        return Dump(NFT_MSG_GETCHAIN, family, w => w.AttributeString(NFTA_CHAIN_TABLE, table), $"listing chains of {NftBatch.Name(family)} {table}", (in NetlinkMessage message, ICollection<NftChainInfo> chains) =>
        {
            string? name = null, type = null, chainTable = null;
            NftHook? hook = null;
            int? priority = null;
            bool? accept = null;
            var reader = Attributes(message);
            while (reader.Next(out var attribute, out var value))
            {
                switch (attribute)
                {
                    case NFTA_CHAIN_TABLE:
                        chainTable = AttributeReader.String(value);
                        break;
                    case NFTA_CHAIN_NAME:
                        name = AttributeReader.String(value);
                        break;
                    case NFTA_CHAIN_TYPE:
                        type = AttributeReader.String(value);
                        break;
                    case NFTA_CHAIN_POLICY:
                        accept = AttributeReader.U32BigEndian(value) == NF_ACCEPT;
                        break;
                    case NFTA_CHAIN_HOOK:
                        var inner = new AttributeReader(value);
                        while (inner.Next(out var hookAttribute, out var hookValue))
                        {
                            if (hookAttribute == NFTA_HOOK_HOOKNUM)
                            {
                                hook = (NftHook)AttributeReader.U32BigEndian(hookValue);
                            }
                            else if (hookAttribute == NFTA_HOOK_PRIORITY)
                            {
                                priority = unchecked((int)AttributeReader.U32BigEndian(hookValue));
                            }
                        }

                        break;
                }
            }

            if (name is not null && chainTable == table && (NftFamily)message.Payload[0] == family)
            {
                chains.Add(new NftChainInfo(name, type, hook, priority, accept));
            }
        });
    }

    /// <summary><c>nft -a list chain FAMILY TABLE CHAIN</c>, or every chain of the table when <paramref name="chain"/> is null.</summary>
    public IReadOnlyList<NftRuleInfo> ListRules(NftFamily family, string table, string? chain = null)
    {
        return Dump(
            NFT_MSG_GETRULE,
            family,
            w =>
            {
                w.AttributeString(NFTA_RULE_TABLE, table);
                if (chain is not null)
                {
                    w.AttributeString(NFTA_RULE_CHAIN, chain);
                }
            },
            $"listing rules of {NftBatch.Name(family)} {table}",
            (in NetlinkMessage message, ICollection<NftRuleInfo> rules) =>
            {
                string? ruleChain = null, ruleTable = null, comment = null;
                ulong handle = 0;
                byte[] expressions = [];
                var reader = Attributes(message);
                while (reader.Next(out var attribute, out var value))
                {
                    switch (attribute)
                    {
                        case NFTA_RULE_TABLE:
                            ruleTable = AttributeReader.String(value);
                            break;
                        case NFTA_RULE_CHAIN:
                            ruleChain = AttributeReader.String(value);
                            break;
                        case NFTA_RULE_HANDLE:
                            handle = AttributeReader.U64BigEndian(value);
                            break;
                        case NFTA_RULE_EXPRESSIONS:
                            expressions = value.ToArray();
                            break;
                        case NFTA_RULE_USERDATA:
                            comment = NftUserData.ReadComment(value);
                            break;
                    }
                }

                if (ruleChain is not null && ruleTable == table && (chain is null || chain == ruleChain))
                {
                    rules.Add(new NftRuleInfo(ruleChain, handle, expressions, comment));
                }
            });
    }

    /// <summary>The networks an interval set holds (start elements paired with the end that follows).</summary>
    public IReadOnlyList<System.Net.IPNetwork> ListNetworks(NftFamily family, string table, string set) =>
        NftIntervals.Networks(ListElements(family, table, set));

    /// <summary><c>nft list set FAMILY TABLE SET</c>: its elements with their comments.</summary>
    public IReadOnlyList<NftElementInfo> ListElements(NftFamily family, string table, string set)
    {
        return Dump(
            NFT_MSG_GETSETELEM,
            family,
            w =>
            {
                w.AttributeString(NFTA_SET_ELEM_LIST_TABLE, table);
                w.AttributeString(NFTA_SET_ELEM_LIST_SET, set);
            },
            $"listing set {set} of {NftBatch.Name(family)} {table}",
            (in NetlinkMessage message, ICollection<NftElementInfo> elements) =>
            {
                var reader = Attributes(message);
                while (reader.Next(out var attribute, out var value))
                {
                    if (attribute != NFTA_SET_ELEM_LIST_ELEMENTS)
                    {
                        continue;
                    }

                    var list = new AttributeReader(value);
                    while (list.Next(out var _, out var element))
                    {
                        elements.Add(ParseElement(element));
                    }
                }
            });
    }

    public void Dispose() => _socket.Dispose();

    private static NftElementInfo ParseElement(ReadOnlySpan<byte> element)
    {
        byte[] key = [];
        string? comment = null;
        var end = false;
        var reader = new AttributeReader(element);
        while (reader.Next(out var type, out var value))
        {
            if (type == NFTA_SET_ELEM_KEY)
            {
                var data = new AttributeReader(value);
                while (data.Next(out var dataType, out var dataValue))
                {
                    if (dataType == NFTA_DATA_VALUE)
                    {
                        key = dataValue.ToArray();
                    }
                }
            }
            else if (type == NFTA_SET_ELEM_USERDATA)
            {
                comment = NftUserData.ReadComment(value);
            }
            else if (type == NFTA_SET_ELEM_FLAGS)
            {
                end = (AttributeReader.U32BigEndian(value) & NFT_SET_ELEM_INTERVAL_END) != 0;
            }
        }

        return new NftElementInfo(key, comment, end);
    }

    private static AttributeReader Attributes(in NetlinkMessage message) =>
        new(NetlinkConstants.AfterHeader<NfGenMsg>(message.Payload));

    private IReadOnlyList<T> Dump<T>(ushort message, NftFamily family, Action<NetlinkWriter>? attributes, string operation, NetlinkDumpCollector<T> collect)
    {
        var type = (ushort)((NFNL_SUBSYS_NFTABLES << 8) | message);
        var replyType = (ushort)((NFNL_SUBSYS_NFTABLES << 8) | (message - 1)); // GETx answers with NEWx
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(type, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(NfGenMsg.For(family));
                attributes?.Invoke(writer);
                writer.EndMessage(start);
            },
            $"{operation} in {Location}",
            (in NetlinkMessage reply, ICollection<T> items) =>
            {
                if (reply.Type == replyType)
                {
                    collect(reply, items);
                }
            });
    }
}

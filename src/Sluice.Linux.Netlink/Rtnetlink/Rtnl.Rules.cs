using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary><c>ip rule add fwmark MARK/MASK lookup TABLE priority P</c></summary>
    public void AddRule(Rule rule) => ChangeRule(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule, "adding");

    /// <summary><c>ip rule del fwmark MARK/MASK lookup TABLE priority P</c></summary>
    public void DeleteRule(Rule rule) => ChangeRule(RTM_DELRULE, 0, rule, "deleting");

    /// <summary><c>ip rule show</c> for a family (fwmark rules and their tables).</summary>
    public IReadOnlyList<Rule> ListRules(AddressFamily family)
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new FibRuleHdr { Family = FamilyOf(family) });
                writer.EndMessage(start);
            },
            In("listing rules"),
            (in NetlinkMessage message, ICollection<Rule> result) =>
            {
                if (message.Type == RTM_NEWRULE)
                {
                    result.Add(ParseRule(message.Payload, family));
                }
            });
    }

    private void ChangeRule(ushort type, ushort flags, Rule rule, string verb)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var writer = _socket.Writer;
        var start = _socket.Begin(type, flags);
        writer.Struct(new FibRuleHdr
        {
            Family = FamilyOf(rule.Family),
            Table = rule.Table < 256 ? (byte)rule.Table : RT_TABLE_UNSPEC,
            Action = FR_ACT_TO_TBL,
        });
        writer.AttributeU32(FRA_TABLE, (uint)rule.Table);
        writer.AttributeU32(FRA_PRIORITY, (uint)rule.Priority);
        writer.AttributeU32(FRA_FWMARK, rule.Mark);
        writer.AttributeU32(FRA_FWMASK, rule.Mask);
        _socket.Execute(start, In($"{verb} rule fwmark 0x{rule.Mark:x}/0x{rule.Mask:x} lookup {rule.Table} priority {rule.Priority}"));
    }

    private static Rule ParseRule(ReadOnlySpan<byte> payload, AddressFamily family)
    {
        var header = MemoryMarshal.Read<FibRuleHdr>(payload);
        uint mark = 0, mask = 0;
        int table = header.Table, priority = 0;
        var reader = new AttributeReader(AfterHeader<FibRuleHdr>(payload));
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case FRA_FWMARK:
                    mark = AttributeReader.U32(value);
                    break;
                case FRA_FWMASK:
                    mask = AttributeReader.U32(value);
                    break;
                case FRA_TABLE:
                    table = (int)AttributeReader.U32(value);
                    break;
                case FRA_PRIORITY:
                    priority = (int)AttributeReader.U32(value);
                    break;
            }
        }

        return new Rule(family, mark, mask, table, priority);
    }
}

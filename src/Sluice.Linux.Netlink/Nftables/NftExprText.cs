using System.Buffers.Binary;
using System.Text;
using Sluice.Linux.Netlink;
using static Sluice.Linux.Nftables.NftConstants;

namespace Sluice.Linux.Nftables;

/// <summary>
/// Canonical text of encoded expressions (the shape of <c>nft --debug=netlink</c>), used to
/// compare the rules Sluice wants with the rules the kernel holds. Counter values are left out.
/// </summary>
public static class NftExprText
{
    /// <summary>The expression names Sluice's rules use, kept as one string each: sluice-agent reads every rule of every pod at every check.</summary>
    private static readonly string[] KnownNames = ["bitwise", "cmp", "counter", "ct", "immediate", "lookup", "meta", "payload", "range", "redir", "socket", "tproxy"];

    /// <summary>One builder and one attribute list per thread, reused for every expression described on it.</summary>
    [ThreadStatic]
    private static StringBuilder? ThreadText;

    [ThreadStatic]
    private static List<(ushort Type, string Value)>? ThreadAttributes;

    /// <summary>The buffer expressions are encoded into to be described, reused on the thread.</summary>
    [ThreadStatic]
    private static NetlinkWriter? ThreadWriter;

    /// <summary>Describes an NFTA_RULE_EXPRESSIONS payload, one line per expression.</summary>
    public static IReadOnlyList<string> Describe(ReadOnlySpan<byte> expressions)
    {
        var result = new List<string>();
        var list = new AttributeReader(expressions);
        while (list.Next(out var type, out var element))
        {
            if (type != NFTA_LIST_ELEM)
            {
                continue;
            }

            string name = "";
            ReadOnlySpan<byte> data = default;
            var expr = new AttributeReader(element);
            while (expr.Next(out var attribute, out var value))
            {
                if (attribute == NFTA_EXPR_NAME)
                {
                    name = Name(value);
                }
                else if (attribute == NFTA_EXPR_DATA)
                {
                    data = value;
                }
            }

            result.Add(DescribeOne(name, data));
        }

        return result;
    }

    /// <summary>The canonical text of expressions Sluice is about to send.</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<NftExpr> expressions)
    {
        var writer = ThreadWriter ??= new NetlinkWriter();
        writer.Reset();
        NftBatch.WriteExpressions(writer, expressions);
        var outer = new AttributeReader(writer.Written);
        return outer.Next(out _, out var list) ? Describe(list) : [];
    }

    private static string DescribeOne(string name, ReadOnlySpan<byte> data)
    {
        var text = (ThreadText ??= new StringBuilder(128)).Clear().Append(name);
        var reader = new AttributeReader(data);

        // By attribute type, the last of a type kept (an expression has a handful: a sorted list
        // costs a fraction of a sorted dictionary, and sluice-agent describes every rule of every
        // pod at every check).
        var attributes = ThreadAttributes ??= new List<(ushort Type, string Value)>(8);
        attributes.Clear();
        while (reader.Next(out var type, out var value))
        {
            if (name == "counter" || IsKernelDefault(name, type, value))
            {
                continue;
            }

            Insert(attributes, type, Value(name, type, value));
        }

        foreach (var (type, value) in attributes)
        {
            text.Append(' ').Append(type).Append('=').Append(value);
        }

        return text.ToString();
    }

    /// <summary>The expression's name, without a new string for the names Sluice uses.</summary>
    private static string Name(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        var bytes = end >= 0 ? value[..end] : value;
        foreach (var known in KnownNames)
        {
            if (bytes.Length == known.Length && Matches(bytes, known))
            {
                return known;
            }
        }

        return AttributeReader.String(value);
    }

    private static bool Matches(ReadOnlySpan<byte> bytes, string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (bytes[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void Insert(List<(ushort Type, string Value)> attributes, ushort type, string value)
    {
        var at = attributes.Count;
        while (at > 0 && attributes[at - 1].Type >= type)
        {
            at--;
        }

        if (at < attributes.Count && attributes[at].Type == type)
        {
            attributes[at] = (type, value);
        }
        else
        {
            attributes.Insert(at, (type, value));
        }
    }

    /// <summary>Attributes kernels add to dumps with their default value: bitwise op "bool", lookup flags 0.</summary>
    private static bool IsKernelDefault(string name, ushort type, ReadOnlySpan<byte> value) =>
        ((name == "bitwise" && type == 6) || (name == "lookup" && type == NFTA_LOOKUP_FLAGS)) &&
        value.Length == 4 && BinaryPrimitives.ReadUInt32BigEndian(value) == 0;

    private static string Value(string name, ushort type, ReadOnlySpan<byte> value)
    {
        var nested = (name, type) switch
        {
            ("cmp", NFTA_CMP_DATA) or ("bitwise", NFTA_BITWISE_MASK) or ("bitwise", NFTA_BITWISE_XOR) or ("immediate", NFTA_IMMEDIATE_DATA) => true,
            _ => false,
        };
        if (!nested)
        {
            return value.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : name == "lookup" && type == NFTA_LOOKUP_SET ? "@" + AttributeReader.String(value)
                : Convert.ToHexStringLower(value);
        }

        var parts = new List<string>();
        var inner = new AttributeReader(value);
        while (inner.Next(out var innerType, out var innerValue))
        {
            if (innerType == NFTA_DATA_VALUE)
            {
                parts.Add("0x" + Convert.ToHexStringLower(innerValue));
            }
            else if (innerType == NFTA_DATA_VERDICT)
            {
                var verdict = new AttributeReader(innerValue);
                while (verdict.Next(out var verdictType, out var verdictValue))
                {
                    parts.Add(verdictType == NFTA_VERDICT_CODE
                        ? "verdict " + BinaryPrimitives.ReadInt32BigEndian(verdictValue).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : "chain " + AttributeReader.String(verdictValue));
                }
            }
        }

        return string.Join(' ', parts);
    }
}

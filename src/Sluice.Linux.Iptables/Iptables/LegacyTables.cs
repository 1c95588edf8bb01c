using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sluice.Linux.Files;
using Sluice.Linux.Interop;
using Sluice.Linux.Sockets;

namespace Sluice.Linux.Iptables;

/// <summary>
/// Reads iptables-legacy tables straight from the kernel (the <c>IPT_SO_GET_INFO</c> and
/// <c>IPT_SO_GET_ENTRIES</c> socket options iptables-save uses), in the calling thread's
/// namespace, without running iptables. Only tables the namespace has registered
/// (<c>/proc/thread-self/net/ip{,6}_tables_names</c>) are asked about: asking about another would
/// make the kernel register it.
/// </summary>
public static class LegacyTables
{
    // linux/netfilter_ipv4/ip_tables.h and ip6_tables.h (x86-64 and arm64 layouts, checked with gcc).
    private const int SO_GET_INFO = 64;
    private const int SO_GET_ENTRIES = 65;
    private const int TableNameLength = 32;
    private const int GetInfoSize = 84;
    private const int GetEntriesHeader = 40;
    private const int HookCount = 5;
    private const int StandardVerdictOffset = 32;
    private const int ErrorNameOffset = 32;
    private const int VerdictAccept = -2; // -NF_ACCEPT - 1
    private static readonly string[] HookNames = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

    /// <summary>Every registered legacy table of both families, with what it holds; none when the legacy modules are not loaded.</summary>
    public static IReadOnlyList<LegacyTable> ReadAll() =>
        [.. Read(AddressFamily.InterNetwork), .. Read(AddressFamily.InterNetworkV6)];

    /// <summary>The registered legacy tables of one family.</summary>
    public static IReadOnlyList<LegacyTable> Read(AddressFamily family)
    {
        var names = RegisteredNames(family);
        if (names.Count == 0)
        {
            return [];
        }

        using var socket = InetOptionSocket.Open(family);
        return names.Select(name => ReadTable(socket, name)).ToList();
    }

    /// <summary>The names in <c>/proc/thread-self/net/ip_tables_names</c> (or ip6_…): tables this namespace has registered.</summary>
    public static IReadOnlyList<string> RegisteredNames(AddressFamily family)
    {
        var file = family == AddressFamily.InterNetworkV6 ? "/proc/thread-self/net/ip6_tables_names" : "/proc/thread-self/net/ip_tables_names";
        return ProcFiles.ReadLinesOrNull(file)?.Where(n => n.Length > 0).ToList() ?? [];
    }

    private static LegacyTable ReadTable(InetOptionSocket socket, string name)
    {
        var tool = socket.Family == AddressFamily.InterNetworkV6 ? "ip6tables-legacy" : "iptables-legacy";
        for (var attempt = 1; ; attempt++)
        {
            var info = new byte[GetInfoSize];
            Encoding.ASCII.GetBytes(name, info.AsSpan(0, TableNameLength - 1));
            socket.Get(SO_GET_INFO, info, $"reading {tool} table {name}");
            var size = (int)U32(info, 80);
            var entries = new byte[GetEntriesHeader + size];
            info.AsSpan(0, TableNameLength).CopyTo(entries);
            MemoryMarshal.Write(entries.AsSpan(TableNameLength), (uint)size);
            try
            {
                socket.Get(SO_GET_ENTRIES, entries, $"reading the rules of {tool} table {name}");
            }
            catch (LinuxException error) when (error.Is(Errno.EAGAIN) && attempt < 5)
            {
                continue; // The table changed between the two calls: ask again.
            }

            return Parse(socket.Family, name, info, entries.AsSpan(GetEntriesHeader, size));
        }
    }

    /// <summary>Walks the entries: policies at the hooks' underflows, ERROR entries heading user chains, and the rules between.</summary>
    private static LegacyTable Parse(AddressFamily family, string name, byte[] info, ReadOnlySpan<byte> entries)
    {
        var v6 = family == AddressFamily.InterNetworkV6;
        var (entrySize, targetOffsetAt) = v6 ? (168, 140) : (112, 88);
        var validHooks = U32(info, 32);
        var underflows = new Dictionary<int, string>();
        for (var hook = 0; hook < HookCount; hook++)
        {
            if ((validHooks & (1u << hook)) != 0)
            {
                underflows[(int)U32(info, 56 + (4 * hook))] = HookNames[hook];
            }
        }

        var chains = new List<string>();
        var drops = new List<string>();
        var rules = 0;
        var inUserChain = false;
        for (var offset = 0; offset < entries.Length;)
        {
            var targetOffset = BitConverter.ToUInt16(entries[(offset + targetOffsetAt)..]);
            var nextOffset = BitConverter.ToUInt16(entries[(offset + targetOffsetAt + 2)..]);
            if (nextOffset == 0 || offset + nextOffset > entries.Length)
            {
                throw new LinuxException($"reading legacy table {name}: malformed entry at offset {offset}", Errno.EIO);
            }

            var target = entries.Slice(offset + targetOffset, nextOffset - targetOffset);
            var targetName = CString(target.Slice(2, 29));
            var next = offset + nextOffset;
            if (underflows.TryGetValue(offset, out var hookName))
            {
                if (BitConverter.ToInt32(target[StandardVerdictOffset..]) != VerdictAccept)
                {
                    drops.Add(hookName);
                }

                inUserChain = false;
            }
            else if (targetName == "ERROR")
            {
                var chain = CString(target.Slice(ErrorNameOffset, 32));
                inUserChain = chain != "ERROR";
                if (inUserChain)
                {
                    chains.Add(chain);
                }
            }
            else if (!(inUserChain && targetOffset == entrySize && IsErrorEntry(entries, next, targetOffsetAt)))
            {
                // Every rule but the RETURN that closes each user chain (iptables-save does not print it).
                rules++;
            }

            offset = next;
        }

        return new LegacyTable(family, name, rules, chains, drops);
    }

    private static bool IsErrorEntry(ReadOnlySpan<byte> entries, int offset, int targetOffsetAt)
    {
        if (offset >= entries.Length)
        {
            return false;
        }

        var targetOffset = BitConverter.ToUInt16(entries[(offset + targetOffsetAt)..]);
        return CString(entries.Slice(offset + targetOffset + 2, 29)) == "ERROR";
    }

    private static uint U32(byte[] buffer, int offset) => MemoryMarshal.Read<uint>(buffer.AsSpan(offset));

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end >= 0 ? bytes[..end] : bytes);
    }
}

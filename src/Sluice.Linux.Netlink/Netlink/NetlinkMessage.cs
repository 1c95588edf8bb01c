namespace Sluice.Linux.Netlink;

/// <summary>One received message: its header fields and its payload (valid until the next receive).</summary>
public readonly ref struct NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
{
    public ushort Type { get; } = type;

    public ushort Flags { get; } = flags;

    public uint Sequence { get; } = sequence;

    public ReadOnlySpan<byte> Payload { get; } = payload;
}

/// <summary>Receives each message of a dump or a reply.</summary>
public delegate void NetlinkMessageHandler(in NetlinkMessage message);

/// <summary>Adds what one message of a dump holds (nothing, one item or several) to the items of the current attempt.</summary>
public delegate void NetlinkDumpCollector<T>(in NetlinkMessage message, ICollection<T> items);

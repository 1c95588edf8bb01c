using System.Buffers.Binary;
using Sluice.Linux.Interop;
using static Sluice.Linux.Netlink.NetlinkConstants;

namespace Sluice.Linux.Netlink;

/// <summary>
/// A netlink socket bound to the network namespace it was opened in. Requests are acknowledged
/// (errors carry the kernel's extended-ack text), dumps are read to NLMSG_DONE and retried when
/// the kernel reports them interrupted. One writer and one receive buffer are reused for every
/// message. Not thread-safe: one socket per thread of work.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    private readonly SafeFd _fd;
    private readonly uint _portId;
    // Taken back at Dispose for the next socket (NetlinkReceiveBuffers says why not the shared pool).
    private byte[] _receive = NetlinkReceiveBuffers.Take();
    private uint _sequence;

    private NetlinkSocket(SafeFd fd, uint portId, string location)
    {
        _fd = fd;
        _portId = portId;
        Location = location;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>Where the socket operates, for messages ("host netns", "netns /var/run/netns/pod1").</summary>
    public string Location { get; }

    public NetlinkWriter Writer { get; } = new();

    /// <summary>Opens a socket of <paramref name="protocol"/> in the calling thread's network namespace.</summary>
    public static unsafe NetlinkSocket Open(int protocol, string location)
    {
        var raw = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (raw < 0)
        {
            throw new LinuxException($"opening a netlink socket in {location}", Syscall.LastError);
        }

        var fd = new SafeFd(raw);
        try
        {
            var one = 1;
            // Extended acks give the kernel's reason in words; capped acks keep replies small.
            Libc.setsockopt(fd, Libc.SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(int));
            Libc.setsockopt(fd, Libc.SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(int));
            // Strict checking lets dumps be filtered in the kernel (addresses of one link, …)
            // instead of shipping every object of the namespace to be filtered here.
            Libc.setsockopt(fd, Libc.SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(int));
            var timeout = new Libc.Timeval { Seconds = 30 };
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, sizeof(Libc.Timeval));
            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            Syscall.Check(Libc.bind(fd, in address, sizeof(Libc.SockaddrNl)), $"binding a netlink socket in {location}");
            var length = sizeof(Libc.SockaddrNl);
            Syscall.Check(Libc.getsockname(fd, out var bound, ref length), "reading the netlink port id");
            return new NetlinkSocket(fd, bound.Pid, location);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public uint NextSequence() => ++_sequence;

    /// <summary>
    /// The kernel's cookie of the socket's network namespace (SO_NETNS_COOKIE, Linux 5.14): unique
    /// among all namespaces since boot and never reused, unlike the nsfs inode number. Null on a
    /// kernel without it.
    /// </summary>
    public unsafe ulong? NamespaceCookie()
    {
        ulong cookie = 0;
        var length = sizeof(ulong);
        return Libc.getsockopt(_fd, Libc.SOL_SOCKET, Libc.SO_NETNS_COOKIE, &cookie, ref length) == 0 && length == sizeof(ulong) ? cookie : null;
    }

    /// <summary>Starts a request in the writer (which is reset): header with REQUEST|<paramref name="flags"/> and a fresh sequence number.</summary>
    public int Begin(ushort type, ushort flags)
    {
        Writer.Reset();
        return Writer.BeginMessage(type, (ushort)(NLM_F_REQUEST | flags), NextSequence());
    }

    /// <summary>Sends the writer's single message with an ACK request and waits for the kernel's answer.</summary>
    public void Execute(int start, string operation)
    {
        Writer.EndMessage(start);
        var sequence = SequenceOf(start);
        SetAckFlag(start);
        Send(operation);
        if (ReceiveUntil(sequence, operation, null, out _) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Sends the writer's message (a GET) and hands each reply message to <paramref name="handler"/>.</summary>
    public void Query(int start, string operation, NetlinkMessageHandler handler)
    {
        if (TryQuery(start, operation, handler) is { } error)
        {
            throw error;
        }
    }

    /// <summary>Like <see cref="Query"/>, but the kernel's refusal is returned rather than thrown (no exception on an expected miss).</summary>
    public LinuxException? TryQuery(int start, string operation, NetlinkMessageHandler handler)
    {
        Writer.EndMessage(start);
        var sequence = SequenceOf(start);
        SetAckFlag(start);
        Send(operation);
        return ReceiveUntil(sequence, operation, handler, out _);
    }

    /// <summary>
    /// Runs a dump built by <paramref name="build"/> (called again for each retry) and returns the
    /// items <paramref name="collect"/> takes from its messages; retried when the kernel marks it
    /// interrupted, and then only the items of the retry are returned (<see cref="DumpRetry"/>).
    /// </summary>
    public IReadOnlyList<T> Dump<T>(Action<NetlinkWriter, uint> build, string operation, NetlinkDumpCollector<T> collect) =>
        DumpRetry.Collect(
            handler =>
            {
                Writer.Reset();
                var sequence = NextSequence();
                build(Writer, sequence);
                Send(operation);
                return ReceiveUntil(sequence, operation, handler, out var interrupted) is { } error ? throw error : interrupted;
            },
            collect);

    /// <summary>
    /// Sends a netfilter batch (messages without ACK flags) and reads the errors it caused. The
    /// kernel processes a batch inside the send call and reports every failing message, so
    /// whatever is queued when send returns is the whole answer; the first error is thrown, named
    /// by the description (in <paramref name="describe"/>) of the message that failed.
    /// </summary>
    public void ExecuteBatch(ReadOnlySpan<byte> batch, IReadOnlyDictionary<uint, string> describe, string operation)
    {
        ArgumentNullException.ThrowIfNull(describe);
        Send(batch, operation);
        var errors = ReadRefusals(sequence => describe.TryGetValue(sequence, out var what) ? $"{operation}: {what}" : null, operation);
        if (errors.Count > 0)
        {
            throw errors[0].Error;
        }
    }

    /// <summary>
    /// Sends the writer's messages (built without ACK flags, each with its own sequence number) in
    /// one datagram and returns the kernel's refusals, each named by <paramref name="describe"/>
    /// of its sequence number (null: not one of ours, ignored). rtnetlink, like nfnetlink, handles
    /// a datagram inside the send call and answers only the requests that failed, so what is queued
    /// when send returns is the whole answer.
    /// </summary>
    public IReadOnlyList<(uint Sequence, LinuxException Error)> SendUnacknowledged(Func<uint, string?> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        Send(Writer.Written, "sending requests");
        return ReadRefusals(describe, "reading the kernel's refusals");
    }

    private List<(uint Sequence, LinuxException Error)> ReadRefusals(Func<uint, string?> describe, string operation)
    {
        var refusals = new List<(uint, LinuxException)>();
        while (true)
        {
            var length = ReceiveDatagram(operation, wait: false);
            if (length < 0)
            {
                return refusals;
            }

            var data = _receive.AsSpan(0, length);
            while (data.Length >= NLMSG_HDRLEN)
            {
                var messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                if (messageLength < NLMSG_HDRLEN || messageLength > data.Length)
                {
                    break;
                }

                var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
                var sequence = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
                var payload = data[NLMSG_HDRLEN..messageLength];
                data = data[Math.Min(Align(messageLength), data.Length)..];
                if (type == NLMSG_ERROR && describe(sequence) is { } what && ErrorFrom(payload, flags, what) is { } error)
                {
                    refusals.Add((sequence, error));
                }
            }
        }
    }

    public void Dispose()
    {
        _fd.Dispose();
        NetlinkReceiveBuffers.Give(Interlocked.Exchange(ref _receive, []));
    }

    private uint SequenceOf(int start) => BinaryPrimitives.ReadUInt32LittleEndian(Writer.Written[(start + 8)..]);

    private void SetAckFlag(int start) => Writer.AddFlags(start, NLM_F_ACK);

    private void Send(string operation) => Send(Writer.Written, operation);

    private unsafe void Send(ReadOnlySpan<byte> message, string operation)
    {
        fixed (byte* p = message)
        {
            while (true)
            {
                var sent = Libc.send(_fd, p, message.Length, 0);
                if (sent >= 0)
                {
                    return;
                }

                var errno = Syscall.LastError;
                if (errno != Errno.EINTR)
                {
                    throw new LinuxException($"{operation}: sending to the kernel in {Location}", errno);
                }
            }
        }
    }

    /// <summary>Reads until the ack (or NLMSG_DONE of a dump) of <paramref name="sequence"/>; returns the kernel's error, if any.</summary>
    private LinuxException? ReceiveUntil(uint sequence, string operation, NetlinkMessageHandler? handler, out bool interrupted)
    {
        interrupted = false;
        while (true)
        {
            var length = ReceiveDatagram(operation, wait: true);
            var data = _receive.AsSpan(0, length);
            while (data.Length >= NLMSG_HDRLEN)
            {
                var messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                if (messageLength < NLMSG_HDRLEN || messageLength > data.Length)
                {
                    throw new LinuxException($"{operation}: malformed netlink reply in {Location}", Errno.EIO);
                }

                var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
                var messageSequence = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
                var port = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
                var payload = data[NLMSG_HDRLEN..messageLength];
                data = data[Math.Min(Align(messageLength), data.Length)..];
                if (messageSequence != sequence || (port != _portId && port != 0))
                {
                    continue;
                }

                interrupted |= (flags & NLM_F_DUMP_INTR) != 0;
                switch (type)
                {
                    case NLMSG_ERROR:
                    case NLMSG_DONE:
                        return ErrorFrom(payload, flags, operation);
                    case NLMSG_NOOP:
                        continue;
                    case NLMSG_OVERRUN:
                        throw new LinuxException($"{operation}: netlink overrun in {Location}", Errno.ENOBUFS);
                    default:
                        // Dump parts, or the single reply to a GET (its ACK follows).
                        handler?.Invoke(new NetlinkMessage(type, flags, messageSequence, payload));
                        break;
                }
            }
        }
    }

    /// <summary>Receives one datagram; -1 when <paramref name="wait"/> is false and nothing is queued.</summary>
    private unsafe int ReceiveDatagram(string operation, bool wait)
    {
        while (true)
        {
            nint received;
            fixed (byte* p = _receive)
            {
                received = Libc.recv(_fd, p, _receive.Length, Libc.MSG_TRUNC | (wait ? 0 : Libc.MSG_DONTWAIT));
            }

            if (received >= 0)
            {
                if (received > _receive.Length)
                {
                    // Never expected (dumps are capped at 32 KiB); grow and let the caller retry the operation.
                    _receive = GC.AllocateUninitializedArray<byte>((int)received * 2);
                    throw new LinuxException($"{operation}: netlink reply larger than the receive buffer in {Location}", Errno.EMSGSIZE);
                }

                return (int)received;
            }

            var errno = Syscall.LastError;
            if (errno == Errno.EINTR)
            {
                continue;
            }

            if (!wait && errno == Errno.EAGAIN)
            {
                return -1;
            }

            throw new LinuxException(
                errno == Errno.EAGAIN ? $"{operation}: no answer from the kernel in {Location} within 30 s" : $"{operation}: receiving from the kernel in {Location}",
                errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno);
        }
    }

    /// <summary>The error an NLMSG_ERROR (or NLMSG_DONE) payload reports, with the kernel's text; null for an ack.</summary>
    private static LinuxException? ErrorFrom(ReadOnlySpan<byte> payload, ushort flags, string operation)
    {
        if (payload.Length < 4)
        {
            return null;
        }

        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (error == 0)
        {
            return null;
        }

        string? kernelMessage = null;
        if ((flags & NLM_F_ACK_TLVS) != 0 && payload.Length >= 4 + NLMSG_HDRLEN)
        {
            // nlmsgerr: error, the request's header (and its payload unless capped), then TLVs.
            var echoed = (flags & NLM_F_CAPPED) != 0
                ? NLMSG_HDRLEN
                : (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
            var offset = 4 + Align(echoed);
            if (offset <= payload.Length)
            {
                var reader = new AttributeReader(payload[offset..]);
                while (reader.Next(out var type, out var value))
                {
                    if (type == NLMSGERR_ATTR_MSG)
                    {
                        kernelMessage = AttributeReader.String(value);
                    }
                }
            }
        }

        return new LinuxException(operation, -error, kernelMessage);
    }
}

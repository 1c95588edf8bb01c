namespace Sluice.Linux.Netlink;

/// <summary>
/// The 64 KiB receive buffers of netlink sockets, kept for the next socket after one is disposed.
/// Allocated uninitialized: only what the kernel wrote is read, and zeroing 64 KiB would touch 16
/// pages at every plugin start for nothing. sluice-agent opens two sockets in every pod's namespace
/// at every check; fresh buffers for each made 14 MiB of garbage per pass over 110 pods
/// (docs/benchmarks.md).
/// <para>
/// Not the runtime's shared <see cref="System.Buffers.ArrayPool{T}"/>: a plugin holds two sockets at
/// once (the node's and the pod's), and the second buffer handed back to the shared pool overflows
/// its per-thread slot into the per-core stacks, whose first use runs the runtime's processor-number
/// speed check, about 0.35 ms of a plugin's start (docs/benchmarks.md, "Nested interpolations").
/// </para>
/// </summary>
internal static class NetlinkReceiveBuffers
{
    public const int Size = 64 * 1024;

    /// <summary>More than any caller keeps open at once (a plugin two or three, an agent check two per pod).</summary>
    private const int Kept = 4;

    private static readonly Lock Gate = new();
    private static readonly byte[]?[] Free = new byte[Kept][];
    private static int FreeCount;

    public static byte[] Take()
    {
        lock (Gate)
        {
            if (FreeCount > 0)
            {
                var buffer = Free[--FreeCount]!;
                Free[FreeCount] = null;
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(Size);
    }

    /// <summary>Keeps <paramref name="buffer"/> for the next socket, or leaves it to the GC when enough are kept or it is not one of these.</summary>
    public static void Give(byte[] buffer)
    {
        if (buffer.Length != Size)
        {
            return;
        }

        lock (Gate)
        {
            if (FreeCount < Kept)
            {
                Free[FreeCount++] = buffer;
            }
        }
    }
}

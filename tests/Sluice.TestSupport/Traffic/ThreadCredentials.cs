using System.Runtime.InteropServices;

namespace Sluice.TestSupport.Traffic;

/// <summary>
/// Per-thread file-system credentials. A socket's owner, as netfilter's owner match and nft's
/// meta skuid/skgid see it, is the fsuid/fsgid of the thread that created it; setfsuid and
/// setfsgid change only the calling thread, so a probe can act as the proxy's user without
/// another process.
/// </summary>
public static partial class ThreadCredentials
{
    /// <summary>Runs <paramref name="action"/> with the thread's fsuid/fsgid set, then restores them.</summary>
    public static T As<T>(uint? uid, uint? gid, Func<T> action)
    {
        var oldUid = uid is { } u ? setfsuid(u) : -1;
        var oldGid = gid is { } g ? setfsgid(g) : -1;
        try
        {
            return action();
        }
        finally
        {
            if (uid is not null)
            {
                _ = setfsuid((uint)oldUid);
            }

            if (gid is not null)
            {
                _ = setfsgid((uint)oldGid);
            }
        }
    }

    [LibraryImport("libc")]
    private static partial int setfsuid(uint uid);

    [LibraryImport("libc")]
    private static partial int setfsgid(uint gid);
}

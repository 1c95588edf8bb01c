using System.Text;
using Sluice.Linux.Files;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;

namespace Sluice.Linux.Sysctl;

/// <summary>
/// Kernel parameters under /proc/sys. Network parameters belong to the network namespace of the
/// thread that opens the file, so the <see cref="NetNs"/> overloads open it inside that namespace.
/// Keys are written like sysctl's (<c>net.ipv4.ip_forward</c>) or as paths
/// (<c>net/ipv6/conf/eth0.100/accept_dad</c>, for names that contain dots).
/// </summary>
public static class Sysctl
{
    public static string Read(string key)
    {
        var path = PathOf(key);
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new LinuxException($"reading sysctl {key}", error is FileNotFoundException or DirectoryNotFoundException ? Errno.ENOENT : Errno.EACCES);
        }
    }

    public static unsafe void Write(string key, string value)
    {
        var path = PathOf(key);
        using var fd = FileDescriptors.Open(path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0, $"setting sysctl {key}={value}");
        var bytes = Encoding.ASCII.GetBytes(value + "\n");
        fixed (byte* p = bytes)
        {
            Syscall.Check(Libc.write(fd, p, bytes.Length), $"setting sysctl {key}={value}");
        }
    }

    public static string Read(NetNs ns, string key)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Read(key));
    }

    public static void Write(NetNs ns, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ns.Run(() => Write(key, value));
    }

    /// <summary>Sets <paramref name="key"/> in the calling thread's namespace only when it differs; true when it wrote.</summary>
    public static bool Ensure(string key, string value)
    {
        if (Read(key) == value)
        {
            return false;
        }

        Write(key, value);
        return true;
    }

    /// <summary>Sets <paramref name="key"/> in <paramref name="ns"/> only when it differs; true when it wrote.</summary>
    public static bool Ensure(NetNs ns, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Ensure(key, value));
    }

    /// <summary>/proc/sys path of a key; dotted keys become paths, path keys stay as they are.</summary>
    public static string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"sysctl key '{key}' contains '..'", nameof(key));
        }

        return "/proc/sys/" + (key.Contains('/', StringComparison.Ordinal) ? key.TrimStart('/') : key.Replace('.', '/'));
    }
}

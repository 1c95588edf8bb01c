using Sluice.Linux.Interop;

namespace Sluice.Linux.Namespaces;

/// <summary>
/// Named namespaces as <c>ip netns add/del</c> make them: a bind mount of a namespace on
/// <c>/run/netns/NAME</c>, under a shared mount so other mount namespaces see it. For tests and the demo.
/// </summary>
public static class NamedNetNs
{
    public const string Directory = "/run/netns";

    public static string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Creates a new, empty network namespace named <paramref name="name"/> and returns its path.</summary>
    public static string Create(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a namespace name", nameof(name));
        }

        EnsureSharedDirectory();
        var path = PathOf(name);
        var fd = Syscall.Retry(() => Libc.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0));
        if (fd < 0)
        {
            throw new LinuxException($"creating netns {name}", Syscall.LastError);
        }

        Libc.close(fd);
        try
        {
            NetNs.OnDedicatedThread(() =>
            {
                Syscall.Check(Libc.unshare(Libc.CLONE_NEWNET), $"creating netns {name}");
                Syscall.Check(Libc.mount("/proc/thread-self/ns/net", path, "none", Libc.MS_BIND, 0), $"mounting netns {name} on {path}");
                return 0;
            });
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        return path;
    }

    /// <summary>Unmounts and removes a named namespace; ENOENT when there is none of that name.</summary>
    public static void Delete(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new LinuxException($"deleting netns {name}", Errno.ENOENT);
        }

        if (Libc.umount2(path, Libc.MNT_DETACH) != 0 && Syscall.LastError != Errno.EINVAL)
        {
            throw new LinuxException($"unmounting netns {name}", Syscall.LastError);
        }

        File.Delete(path);
    }

    /// <summary>Names of the namespaces under /run/netns.</summary>
    public static IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    private static void EnsureSharedDirectory()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (Libc.mount("", Directory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) == 0)
        {
            return;
        }

        // Not a mount point yet: bind it onto itself, then make it shared (what iproute2 does).
        Syscall.Check(Libc.mount(Directory, Directory, "none", Libc.MS_BIND | Libc.MS_REC, 0), $"bind-mounting {Directory}");
        Syscall.Check(Libc.mount("", Directory, "none", Libc.MS_SHARED | Libc.MS_REC, 0), $"sharing {Directory}");
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// Teardown, in the order that leaves nothing: the sandboxes through the CRI (the runtime's own
/// path), containerd (SIGTERM, then SIGKILL), any shim or sandbox process left (found by our
/// socket and our cgroup parent, killed by PID), every mount under our directory (deepest first),
/// our cgroups, libcni's cache entries of our sandboxes, the host mount points a node with
/// directories of its own made, the fake API, the node namespace, the directory. Every step runs even when an earlier one failed; the failures are reported together.
/// </summary>
internal sealed partial class CriNode
{
    private const string CgroupRoot = "/sys/fs/cgroup";
    private const string LibcniResults = "/var/lib/cni/results";

    /// <summary>Where containerd 1.6's shims put their sockets (hard-coded: /run/containerd/s).</summary>
    private const string RunContainerd = "/run/containerd";

    public void Dispose()
    {
        var errors = new List<Exception>();
        Step(errors, RemoveSandboxes);
        Step(errors, StopContainerd);
        Step(errors, KillLeftoverProcesses);
        Step(errors, UnmountEverything);
        Step(errors, RemoveCgroups);
        Step(errors, RemoveLibcniCache);
        Step(errors, RemoveRunContainerd);
        // The node's mount namespace went with its last process; only the host's empty mount points are left.
        Step(errors, () => Filesystem?.RemoveCreatedMountPoints());
        Step(errors, () => Api.DisposeAsync().AsTask().GetAwaiter().GetResult());
        Step(errors, NodeNs.Dispose);
        Step(errors, Node.Dispose);
        Step(errors, _dir.Dispose);
        if (errors.Count > 0)
        {
            throw new AggregateException("cleaning up the containerd node failed", errors);
        }
    }

    private static void Step(List<Exception> errors, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errors.Add(e);
        }
    }

    private void RemoveSandboxes()
    {
        if (_containerd is null || _containerd.HasExited)
        {
            return;
        }

        foreach (var id in Cri.ListPodSandboxes())
        {
            Cri.StopPodSandbox(id);
            Cri.RemovePodSandbox(id);
        }
    }

    private void StopContainerd()
    {
        if (_containerd is null)
        {
            return;
        }

        using (_containerd)
        {
            if (!_containerd.HasExited)
            {
                ProcessRunner.Run("kill", new Dictionary<string, string>(), null, ["-TERM", _containerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                if (!_containerd.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _containerd.Kill();
                    _containerd.WaitForExit();
                }
            }
        }
    }

    /// <summary>Shims started for our socket, and processes in our cgroups (sandbox containers whose shim died).</summary>
    private void KillLeftoverProcesses()
    {
        var pids = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadOrEmpty(Path.Combine(dir, "cmdline")).Contains(Config.Socket, StringComparison.Ordinal))
            {
                pids.Add(pid);
            }
        }

        foreach (var procs in OurCgroups().SelectMany(cgroup => Directory.EnumerateFiles(cgroup, "cgroup.procs", SearchOption.AllDirectories)))
        {
            pids.UnionWith(ReadOrEmpty(procs).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
        }

        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    /// <summary><c>umount</c> of every mount point under our directory (snapshots, sandbox /dev/shm, netns bind mounts), deepest first.</summary>
    private void UnmountEverything()
    {
        var prefix = _dir.Path + "/";
        var mountPoints = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length);
        foreach (var point in mountPoints)
        {
            var result = ProcessRunner.Run("umount", new Dictionary<string, string>(), null, ["-R", point]);
            if (result.ExitCode != 0 && File.ReadAllText("/proc/self/mountinfo").Contains(point, StringComparison.Ordinal))
            {
                ProcessRunner.Check("umount", "-R", "-l", point);
            }
        }
    }

    /// <summary>runc creates the cgroup parent in every hierarchy and leaves it when the sandbox goes: removed depth-first.</summary>
    private void RemoveCgroups()
    {
        foreach (var cgroup in OurCgroups())
        {
            foreach (var dir in Directory.EnumerateDirectories(cgroup, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(cgroup))
            {
                Directory.Delete(dir);
            }
        }
    }

    private List<string> OurCgroups() =>
        Directory.Exists(CgroupRoot)
            ? Directory.EnumerateDirectories(CgroupRoot)
                .Select(hierarchy => Path.Combine(hierarchy, CgroupParent.TrimStart('/')))
                .Where(Directory.Exists)
                .ToList()
            : [];

    /// <summary>containerd's libcni keeps ADD results in /var/lib/cni/results (not configurable in 1.6); DEL removes them, this catches a failed test's.</summary>
    private void RemoveLibcniCache()
    {
        if (!Directory.Exists(LibcniResults))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(LibcniResults).Where(f => _sandboxes.Exists(id => Path.GetFileName(f).Contains(id, StringComparison.Ordinal))))
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The socket of a sandbox's shim: containerd 1.6 names it after sha256(address/namespace/id)
    /// under /run/containerd/s whatever its state dir. A shim that exits removes it; a killed one does not.
    /// </summary>
    public string ShimSocket(string sandbox) =>
        Path.Combine(RunContainerd, "s", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Config.Socket}/k8s.io/{sandbox}"))));

    /// <summary>The sockets of our killed shims; /run/containerd itself when this node made it and it is empty.</summary>
    private void RemoveRunContainerd()
    {
        foreach (var socket in _sandboxes.Select(ShimSocket).Where(File.Exists))
        {
            File.Delete(socket);
        }

        if (RunContainerdExisted || !Directory.Exists(RunContainerd))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(RunContainerd, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(RunContainerd))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty: another containerd uses it.
            }
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

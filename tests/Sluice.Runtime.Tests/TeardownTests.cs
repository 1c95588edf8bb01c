using Sluice.Linux.Namespaces;
using Sluice.Runtime.Tests.Lab;

namespace Sluice.Runtime.Tests;

/// <summary>The node's teardown leaves nothing even when the runtime did not get to clean up.</summary>
public sealed class TeardownTests
{
    [RootFact]
    public void NodeTeardown_ContainerdKilledWithARunningSandbox_LeavesNoProcessMountCgroupOrNamespace()
    {
        var node = CriNode.Start();
        var (dir, socket, cgroupParent, nodeName) = (node.Dir, node.Config.Socket, node.CgroupParent, node.Node.Name);
        string sandbox, shimSocket;
        try
        {
            node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Plain(CriNode.PodNamespace, "web"));
            sandbox = node.RunPod("web");
            var netns = node.Cri.Status(sandbox).NetnsPath;
            shimSocket = node.ShimSocket(sandbox);
            Assert.True(File.Exists(shimSocket), $"no shim socket {shimSocket}");
            node.KillContainerd();

            Assert.Contains(netns, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
            Assert.NotEmpty(ProcessesMentioning(socket));
        }
        finally
        {
            node.Dispose();
        }

        Assert.DoesNotContain(dir, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.Empty(ProcessesMentioning(socket));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/sys/fs/cgroup"), h => Directory.Exists(Path.Combine(h, cgroupParent.TrimStart('/'))));
        Assert.False(File.Exists(shimSocket), $"{shimSocket} still exists");
        Assert.False(Directory.Exists(dir), $"{dir} still exists");
        Assert.False(NamedNetNs.Exists(nodeName), $"{nodeName} still exists");
        Assert.False(Directory.Exists("/var/lib/cni/results") && Directory.EnumerateFiles("/var/lib/cni/results").Any(f => f.Contains(sandbox, StringComparison.Ordinal)));
    }

    private static List<int> ProcessesMentioning(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _) && Cmdline(d).Contains(text, StringComparison.Ordinal))
            .Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture))];

    private static string Cmdline(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "cmdline"));
        }
        catch (IOException)
        {
            return "";
        }
    }
}

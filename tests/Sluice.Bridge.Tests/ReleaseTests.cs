using System.Text.Json.Nodes;

namespace Sluice.Bridge.Tests;

/// <summary>
/// DEL releases the host veth instead of deleting it (down, off the bridge, retagged) and leaves
/// the pair to the pod namespace's teardown: the address is free at once, and a pod that gets it
/// while the stale interface still holds it is the only one the node reaches.
/// </summary>
public sealed class ReleaseTests : IDisposable
{
    private const string Requested = "10.44.0.77";
    private readonly Testbed _bed = new();

    public void Dispose() => _bed.Dispose();

    [RootFact]
    public void Del_NamespaceAlive_VethDownOffTheBridgeRetaggedAndAddressFree()
    {
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        var hostVeth = AttachmentNames.HostVeth("podnet", "ctr-1", "eth0");

        _bed.Del("ctr-1", pod.Path);

        var link = _bed.Node.Exec("ip", "-d", "link", "show", hostVeth);
        Assert.DoesNotContain("master", link, StringComparison.Ordinal);
        Assert.DoesNotContain(",UP", link, StringComparison.Ordinal);
        Assert.Contains("alias sluice-released podnet ctr-1 eth0", link, StringComparison.Ordinal);
        Assert.Contains("NO-CARRIER", pod.Exec("ip", "link", "show", "eth0"), StringComparison.Ordinal);
        Assert.Empty(_bed.Allocations());

        pod.Dispose();
        Assert.Equal(["lo", "sluice0"], _bed.NodeLinksSettled(["lo", "sluice0"]));
    }

    [RootFact]
    public void AddAfterDel_SameAddressWhileTheStaleInterfaceHoldsIt_OnlyTheNewPodAnswers()
    {
        var stale = _bed.NewPod("stale");
        Run("ADD", "old-1", stale.Path);
        _bed.Del("old-1", stale.Path);
        Assert.Contains($"{Requested}/24", stale.Exec("ip", "addr", "show", "eth0"), StringComparison.Ordinal);

        var fresh = _bed.NewPod("fresh");
        var result = JsonNode.Parse(Run("ADD", "new-1", fresh.Path).Stdout)!;
        var freshMac = (string)result["interfaces"]!.AsArray().Single(i => i!["sandbox"] is not null)!["mac"]!;

        Assert.Equal(0, _bed.Node.TryExec("ping", "-c", "1", "-W", "2", Requested).ExitCode);
        Assert.Contains($"lladdr {freshMac}", _bed.Node.Exec("ip", "neigh", "show", Requested), StringComparison.Ordinal);
        Assert.DoesNotContain(stale.Exec("ip", "link", "show", "eth0").Split('\n')[1].Trim().Split(' ')[1], _bed.Node.Exec("ip", "neigh", "show", Requested), StringComparison.Ordinal);
        Assert.NotEqual(0, stale.TryExec("ping", "-c", "1", "-W", "1", "10.44.0.1").ExitCode);
        Assert.Equal(0, fresh.TryExec("ping", "-c", "1", "-W", "2", "10.44.0.1").ExitCode);
    }

    [RootFact]
    public void AddAfterDel_SameAttachmentInTheSameLiveNamespace_ReplacesTheReleasedPair()
    {
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        _bed.Del("ctr-1", pod.Path);

        _bed.Add(pod, "ctr-1");

        var hostVeth = AttachmentNames.HostVeth("podnet", "ctr-1", "eth0");
        Assert.Contains("alias sluice podnet ctr-1 eth0", _bed.Node.Exec("ip", "-d", "link", "show", hostVeth), StringComparison.Ordinal);
        Assert.Equal(["lo", "sluice0", hostVeth], _bed.NodeLinks());
        Assert.Equal(0, pod.TryExec("ping", "-c", "1", "-W", "2", "10.44.0.1").ExitCode);
    }

    [RootFact]
    public void Gc_RemovesVethsReleasedWhileTheirNamespaceLives()
    {
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        _bed.Del("ctr-1", pod.Path);

        var gc = _bed.Run("GC", "", "", _bed.Config(",\"cni.dev/valid-attachments\":[]"));

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(["lo", "sluice0"], _bed.NodeLinksSettled(["lo", "sluice0"]));
        Assert.DoesNotContain("eth0", pod.Exec("ip", "-o", "link"), StringComparison.Ordinal);
    }

    private ProcessResult Run(string command, string containerId, string netns)
    {
        var result = _bed.Run(command, containerId, netns, _bed.Config(), args: $"IgnoreUnknown=1;IP={Requested}");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}

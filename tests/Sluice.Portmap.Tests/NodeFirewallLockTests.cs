using Sluice.Firewall;

namespace Sluice.Portmap.Tests;

/// <summary>
/// The node's firewall lock and the work that waits for its release: the carry of sluice-bridge's
/// stamps after a hostPort commit runs after the flock is dropped, so the next pod's change on the
/// node does not wait for it.
/// </summary>
public sealed class NodeFirewallLockTests
{
    [RootFact]
    public void AfterRelease_WhileTheLockIsHeld_RunsOnceItIsDropped_InOrder()
    {
        using var node = TestNetns.Create("fwlock");
        using var ns = node.Open();
        var ran = new List<string>();

        ns.Run(() =>
        {
            using (NodeFirewall.Lock())
            {
                NodeFirewall.AfterRelease(() => ran.Add("first"));
                NodeFirewall.AfterRelease(() => ran.Add("second"));
                Assert.Empty(ran);
            }

            Assert.Equal(["first", "second"], ran);
        });
    }

    [RootFact]
    public void AfterRelease_WorkThatTakesTheLockAgain_FindsItFree()
    {
        using var node = TestNetns.Create("fwlock");
        using var ns = node.Open();
        var retaken = false;

        var worker = new Thread(() => ns.Run(() =>
        {
            using (NodeFirewall.Lock())
            {
                // Another open file of the same namespace: flock would block here if the first
                // lock were still held when the deferred work runs.
                NodeFirewall.AfterRelease(() =>
                {
                    using (NodeFirewall.Lock())
                    {
                        retaken = true;
                    }
                });
            }
        }))
        { IsBackground = true };
        worker.Start();

        Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the deferred work waited for a lock that was still held");
        Assert.True(retaken);
    }

    [RootFact]
    public void AfterRelease_WithoutTheLock_RunsAtOnce()
    {
        var ran = false;

        NodeFirewall.AfterRelease(() => ran = true);

        Assert.True(ran);
    }
}

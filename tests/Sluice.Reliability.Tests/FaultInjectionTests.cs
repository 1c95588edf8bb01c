using System.Text;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// SIGKILL at random points of each plugin's ADD (100 runs each, seeded), then what the runtime
/// does after a failed or finished ADD: DEL as libcni sends it (with prevResult when the ADD had
/// finished, without when it was killed) and a GC with no valid attachments. Nothing may be left:
/// no address in the store, no veth, no route, no rule (the node's and the pod's state equal the
/// snapshot taken before the kills), and no held lock (a fresh ADD right after succeeds within a bound).
/// </summary>
public sealed class FaultInjectionTests
{
    private const int Runs = 100;

    /// <summary>An undisturbed ADD takes tens of milliseconds; a lock left held would make it wait far longer.</summary>
    private static readonly TimeSpan FreshAddBound = TimeSpan.FromSeconds(5);

    [RootFact]
    public void BridgeAddKilledAtRandomPoints_LeavesNothingAfterDelAndGc()
    {
        using var lab = new NodeLab("10.53.0.0/22", "fd53::/64");
        var pod = lab.NewPod();
        using var podNs = pod.Open();
        var config = lab.BridgeConfig();
        var campaign = new KillCampaign("fault-bridge", Runs, seed: 9001);

        // The first ADD creates the bridge, its gateway addresses and the network's rules, which stay by design.
        campaign.Measure(6, () => AddThenDel(lab, "sluice-bridge", config, "measure", pod.Path));
        Gc(lab, "sluice-bridge", config, campaign); // the measuring DELs released their veths into the pod, which stays
        var nodeBefore = lab.Snapshot();
        var podBefore = NetnsSnapshot.Take(pod);

        for (var i = 0; i < Runs; i++)
        {
            var id = $"victim-{i}";
            var add = lab.Run("sluice-bridge", NodeLab.Env("ADD", id, pod.Path), config, killAfter: campaign.NextDelay());
            campaign.Count(i, add);
            RuntimeDel(lab, "sluice-bridge", config, id, pod.Path, add, campaign, i);
            if (lab.LinksBesidesLoopback(podNs) is { Count: > 0 } links)
            {
                campaign.Leak(i, $"pod interfaces after DEL: {string.Join(", ", links)}");
            }
        }

        Gc(lab, "sluice-bridge", config, campaign);
        CheckNothingLeft(lab, campaign, nodeBefore, ("pod", pod, podBefore));
        campaign.ReportAndAssert(FreshAdd(lab, "sluice-bridge", config, pod.Path));
    }

    [RootFact]
    public void IpamAddKilledAtRandomPoints_LeavesNoAddressAndNoLock()
    {
        using var lab = new NodeLab("10.54.0.0/24", "fd54::/64");
        var pod = lab.NewPod();
        var config = lab.IpamConfig();
        var campaign = new KillCampaign("fault-ipam", Runs, seed: 9002);
        campaign.Measure(6, () => AddThenDel(lab, "sluice-ipam", config, "measure", pod.Path));
        var nodeBefore = lab.Snapshot();

        for (var i = 0; i < Runs; i++)
        {
            var id = $"victim-{i}";
            var add = lab.Run("sluice-ipam", NodeLab.Env("ADD", id, pod.Path), config, killAfter: campaign.NextDelay());
            campaign.Count(i, add);
            RuntimeDel(lab, "sluice-ipam", config, id, pod.Path, add, campaign, i);
        }

        Gc(lab, "sluice-ipam", config, campaign);
        CheckNothingLeft(lab, campaign, nodeBefore);
        campaign.ReportAndAssert(FreshAdd(lab, "sluice-ipam", config, pod.Path));
    }

    [RootFact]
    public async Task RedirectAddKilledAtRandomPoints_LeavesNoRuleInThePod()
    {
        using var lab = new NodeLab("10.55.0.0/24", "fd55::/64");
        await using var api = await FakeKubeApi.StartAsync(lab.NodeNs);
        api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var kubeconfig = api.WriteKubeconfig(Path.Combine(lab.Directory, "kubeconfig"));
        var pod = lab.NewPod();
        var bridgeConfig = lab.BridgeConfig();

        // The chain's first plugin ran for real: its result is the prevResult sluice-redirect gets.
        var bridgeAdd = lab.Run("sluice-bridge", NodeLab.Env("ADD", "sandbox", pod.Path, args: NodeLab.PodArgs), bridgeConfig);
        Assert.True(bridgeAdd.ExitCode == 0, bridgeAdd.ToString());
        var config = NodeLab.WithPrevResult(NodeLab.RedirectConfig(kubeconfig), bridgeAdd.Stdout);
        var campaign = new KillCampaign("fault-redirect", Runs, seed: 9003);
        campaign.Measure(6, () => AddThenDel(lab, "sluice-redirect", config, "sandbox", pod.Path, NodeLab.PodArgs));
        var podBefore = NetnsSnapshot.Take(pod);

        for (var i = 0; i < Runs; i++)
        {
            var add = lab.Run("sluice-redirect", NodeLab.Env("ADD", "sandbox", pod.Path, args: NodeLab.PodArgs), config, killAfter: campaign.NextDelay());
            campaign.Count(i, add);
            RuntimeDel(lab, "sluice-redirect", config, "sandbox", pod.Path, add, campaign, i, NodeLab.PodArgs);
            if (NetnsSnapshot.Take(pod) is var now && now != podBefore)
            {
                campaign.Leak(i, $"the pod's state differs after DEL:\n{Diff(podBefore, now)}");
            }
        }

        var fresh = FreshAdd(lab, "sluice-redirect", config, pod.Path, NodeLab.PodArgs, "sandbox");
        var bridgeDel = lab.Run("sluice-bridge", NodeLab.Env("DEL", "sandbox", pod.Path, args: NodeLab.PodArgs), NodeLab.WithPrevResult(bridgeConfig, bridgeAdd.Stdout));
        Assert.True(bridgeDel.ExitCode == 0, bridgeDel.ToString());
        CheckNothingLeft(lab, campaign, nodeBefore: null);
        campaign.ReportAndAssert(fresh);
    }

    [RootFact]
    public void IptablesToolKilledWhileApplyingAPreset_LeavesThePodAsBeforeAfterCleanup()
    {
        using var lab = new NodeLab();
        var pod = lab.NewPod();
        var tool = RepoPaths.Binary("sluice-iptables");
        string[] preset = ["--profile", "istio", "-m", "TPROXY", "--redirect-dns", "--backend", "nft", "--netns", pod.Path];
        var campaign = new KillCampaign("fault-iptables", Runs, seed: 9004);
        var podBefore = NetnsSnapshot.Take(pod);
        var nodeBefore = lab.Snapshot();
        PluginRun.Outcome Tool(string[] arguments, TimeSpan? killAfter = null, TimeSpan? timeout = null) =>
            PluginRun.Run(lab.NodeNs, tool, new Dictionary<string, string>(), [], arguments, killAfter, timeout);

        campaign.Measure(6, () =>
        {
            var apply = Tool(preset);
            Assert.True(Tool([.. preset, "--cleanup-only"]).ExitCode == 0);
            return apply;
        });
        for (var i = 0; i < Runs; i++)
        {
            campaign.Count(i, Tool(preset, campaign.NextDelay()));
            var cleanup = Tool([.. preset, "--cleanup-only"]);
            if (cleanup.ExitCode != 0)
            {
                campaign.Leak(i, $"cleanup failed: {cleanup}");
            }

            if (NetnsSnapshot.Take(pod) is var now && now != podBefore)
            {
                campaign.Leak(i, $"the pod's state differs after cleanup:\n{Diff(podBefore, now)}");
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var fresh = Tool(preset, timeout: FreshAddBound);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var freshElapsed = watch.Elapsed;
        Assert.True(Tool([.. preset, "--cleanup-only"]).ExitCode == 0);
        CheckNothingLeft(lab, campaign, nodeBefore, ("pod", pod, podBefore));
        campaign.ReportAndAssert(freshElapsed);
    }

    private static PluginRun.Outcome AddThenDel(NodeLab lab, string plugin, string config, string id, string netns, string args = "")
    {
        var add = lab.Run(plugin, NodeLab.Env("ADD", id, netns, args: args), config);
        if (add.ExitCode == 0)
        {
            var del = lab.Run(plugin, NodeLab.Env("DEL", id, netns, args: args), NodeLab.WithPrevResult(config, add.Stdout));
            Assert.True(del.ExitCode == 0, del.ToString());
        }

        return add;
    }

    /// <summary>DEL as libcni sends it: with the cached result as prevResult when the ADD finished, without when it did not.</summary>
    private static void RuntimeDel(NodeLab lab, string plugin, string config, string id, string netns, PluginRun.Outcome add, KillCampaign campaign, int run, string args = "")
    {
        var delConfig = add.ExitCode == 0 ? NodeLab.WithPrevResult(config, add.Stdout) : config;
        var del = lab.Run(plugin, NodeLab.Env("DEL", id, netns, args: args), delConfig);
        if (del.ExitCode != 0)
        {
            campaign.Leak(run, $"DEL failed: {del}");
        }
    }

    private static void Gc(NodeLab lab, string plugin, string config, KillCampaign campaign)
    {
        var gcConfig = config.TrimEnd()[..^1] + ",\"cni.dev/valid-attachments\":[]}";
        var gc = lab.Run(plugin, new Dictionary<string, string> { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = NodeLab.CniPath }, gcConfig);
        if (gc.ExitCode != 0)
        {
            campaign.Leak(-1, $"GC failed: {gc}");
        }
    }

    private static void CheckNothingLeft(NodeLab lab, KillCampaign campaign, string? nodeBefore, params (string Name, TestNetns Ns, string Before)[] others)
    {
        foreach (var file in lab.StoreLeftovers())
        {
            campaign.Leak(-1, $"left in the IPAM store: {file}");
        }

        foreach (var veth in lab.VethLinks())
        {
            campaign.Leak(-1, $"veth left in the node: {veth}");
        }

        if (nodeBefore is not null && lab.Snapshot() is var node && node != nodeBefore)
        {
            campaign.Leak(-1, $"the node differs from its snapshot:\n{Diff(nodeBefore, node)}");
        }

        foreach (var (name, ns, before) in others)
        {
            if (NetnsSnapshot.Take(ns) is var now && now != before)
            {
                campaign.Leak(-1, $"the {name} namespace differs from its snapshot:\n{Diff(before, now)}");
            }
        }
    }

    /// <summary>An ADD right after the campaign: it must not wait on a lock a killed run held. Undone afterwards.</summary>
    private static TimeSpan FreshAdd(NodeLab lab, string plugin, string config, string netns, string args = "", string id = "fresh")
    {
        var add = lab.Run(plugin, NodeLab.Env("ADD", id, netns, args: args), config, timeout: FreshAddBound);
        Assert.True(add.ExitCode == 0 && !add.TimedOut, $"a fresh ADD after the kills: {add}");
        var del = lab.Run(plugin, NodeLab.Env("DEL", id, netns, args: args), NodeLab.WithPrevResult(config, add.Stdout));
        Assert.True(del.ExitCode == 0, del.ToString());
        return add.Elapsed;
    }

    /// <summary>The lines only in one of the two texts, marked - (before) and + (now).</summary>
    internal static string Diff(string before, string now)
    {
        var old = before.Split('\n');
        var current = now.Split('\n');
        var text = new StringBuilder();
        foreach (var line in old.Except(current, StringComparer.Ordinal))
        {
            text.Append("- ").Append(line).Append('\n');
        }

        foreach (var line in current.Except(old, StringComparer.Ordinal))
        {
            text.Append("+ ").Append(line).Append('\n');
        }

        return text.Length == 0 ? "(same lines, different order)\n" : text.ToString();
    }
}

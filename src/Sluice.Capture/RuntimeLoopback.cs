using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sluice.Capture.Policy;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Capture;

/// <summary>
/// Leaves a pod's lo to the runtime until the runtime has looked at it, before capture puts the
/// proxy's IPv6 passthrough source <c>::6</c> there. containerd's CRI (go-cni; 2.x too unless
/// <c>use_internal_loopback</c> is set) runs the loopback plugin at the same time as the pod's
/// chain; that plugin brings lo up, lists lo's addresses right away and fails the sandbox when one
/// is neither 127.0.0.0/8 nor ::1. So the address goes on no sooner than <see cref="Settle"/>
/// after lo came up:
/// <list type="bullet">
/// <item>A lo that is down when the ADD begins means the runtime's step is still to come (every
/// Kubernetes runtime brings lo up: that plugin, or a step of its own before the chain). The
/// address waits until lo is up and the settling time has passed since that was seen, for at
/// most <see cref="Patience"/> counted from the start of the wait; after that the caller brings
/// lo up itself (a caller with no loopback step, as cnitool; a runtime later than that will then
/// refuse the sandbox).</item>
/// <item>A lo that is already up may have come up a moment ago, the plugin not having listed it
/// yet. The kernel creates lo's <c>::1</c> when lo comes up and stamps it
/// (<see cref="AddressStamp"/>): the address waits out what is left of the settling time after
/// that stamp (all of it when there is no stamp to read). A lo that came up long before (a
/// runtime that set it up before the chain) costs no wait.</item>
/// </list>
/// The wait starts counting when the watch starts; the rules are installed before it ends. It
/// ends early when the runtime's loopback network is seen finished: libcni caches a network's
/// result once its plugins have succeeded, and go-cni names the runtime's loopback network
/// <c>cni-loopback</c> (<see cref="LibcniResultOf"/>). A runtime known to finish its loopback
/// step before the chain starts (<see cref="RuntimeLoopbackOrder.BeforeChain"/>) costs no wait
/// for a lo already up: nothing of the runtime's looks at lo after that.
/// </summary>
public sealed class RuntimeLoopback : IDisposable
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the settling wait looks for the runtime's loopback result.</summary>
    private static readonly TimeSpan ResultPoll = TimeSpan.FromMilliseconds(2);

    private readonly Rtnl _rtnl;
    private readonly LinkChangeSocket? _changes;
    private readonly long _watched = Stopwatch.GetTimestamp();

    /// <summary>For a lo already up: how long ago it came up, by the stamp of its ::1 (null: long enough ago).</summary>
    private readonly TimeSpan? _upFor;

    /// <summary>Where the runtime's loopback network leaves its result when it has finished; null when unknown.</summary>
    private readonly string? _runtimeResult;

    /// <summary>lo was up and the runtime finishes its loopback step before the chain: nothing to wait for.</summary>
    private readonly bool _upBeforeChain;

    private bool _awaited;

    private RuntimeLoopback(Rtnl rtnl, LinkChangeSocket? changes, TimeSpan? upFor, string? runtimeResult, TimeSpan patience, TimeSpan settle, bool upBeforeChain = false)
    {
        _rtnl = rtnl;
        _changes = changes;
        _upFor = upFor;
        _runtimeResult = runtimeResult;
        _upBeforeChain = upBeforeChain;
        Patience = patience;
        Settle = settle;
    }

    public TimeSpan Patience { get; }

    public TimeSpan Settle { get; }

    /// <summary>Whether lo was down when the watch started: the runtime's loopback step was still to come.</summary>
    public bool WasDown => _changes is not null;

    /// <summary>What the wait came to, for the log: null when there was nothing to wait for.</summary>
    public string? Outcome { get; private set; }

    /// <summary>Whether the patience ran out with lo still down (worth a warning: a late runtime step will fail the sandbox).</summary>
    public bool GaveUp { get; private set; }

    /// <summary>Whether capture under <paramref name="policy"/> puts an address on lo (IPv6 inbound capture), the only case that needs a watch.</summary>
    public static bool MattersFor(CapturePolicy policy) => CaptureRouting.NeedsPassthrough(policy);

    /// <summary>
    /// Starts watching lo through <paramref name="rtnl"/>, a route socket in the pod's namespace
    /// that the caller keeps (call it before the rules are installed). A lo already up is dated by
    /// its ::1; a lo that is down gets a link notification socket of the calling thread's
    /// namespace, and the wait reads lo again once subscribed, so lo coming up in between is not missed.
    /// With <paramref name="order"/> <see cref="RuntimeLoopbackOrder.BeforeChain"/> a lo already up
    /// is not dated: the runtime has finished with it. A lo that is down is waited for either way
    /// (that runtime did not bring it up, so its step may still be to come).
    /// </summary>
    public static RuntimeLoopback Watch(Rtnl rtnl, TimeSpan patience, TimeSpan settle, string? runtimeResult = null, RuntimeLoopbackOrder order = RuntimeLoopbackOrder.BesideChain)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        var lo = rtnl.GetLink("lo");
        if (!lo.IsUp)
        {
            return new RuntimeLoopback(rtnl, LinkChangeSocket.Open(), null, runtimeResult, patience, settle);
        }

        if (order == RuntimeLoopbackOrder.BeforeChain)
        {
            return new RuntimeLoopback(rtnl, null, null, runtimeResult, patience, settle, upBeforeChain: true);
        }

        var upFor = UpFor(rtnl, lo.Index);
        return new RuntimeLoopback(rtnl, null, upFor < settle ? upFor : null, runtimeResult, patience, settle);
    }

    /// <summary>
    /// Where libcni, in its default cache directory (containerd's CRI and CRI-O leave it there),
    /// writes the result of go-cni's loopback network for the sandbox <paramref name="containerId"/>
    /// once the loopback plugin has succeeded. <paramref name="containerId"/> is CNI_CONTAINERID,
    /// already held to the spec's characters (no separator, no leading dot).
    /// </summary>
    public static string LibcniResultOf(string containerId) => $"/var/lib/cni/results/cni-loopback-{containerId}-lo";

    /// <summary>
    /// How long lo has certainly been up: the age of its ::1, which the kernel creates as lo comes
    /// up. Zero when there is none or it cannot be dated: the wait then costs at most the settling time.
    /// </summary>
    private static TimeSpan UpFor(Rtnl rtnl, int loIndex) =>
        rtnl.ListAddresses(loIndex, AddressFamily.InterNetworkV6).FirstOrDefault(a => a.Address.Equals(IPAddress.IPv6Loopback)) is { CreatedStamp: { } stamp }
            ? AddressStamp.MinimumAge(stamp) ?? TimeSpan.Zero
            : TimeSpan.Zero;

    /// <summary>
    /// Returns once the runtime has had its look at lo. For a lo already up: once the settling time
    /// has passed since its ::1 was stamped (at once when that was long ago). For a lo that was
    /// down: when lo is up and the settling time has passed since, or when the patience is spent
    /// (lo may then still be down: the caller brings it up). Waits once; later calls return at once.
    /// </summary>
    public void AwaitRuntime()
    {
        if (_awaited)
        {
            return;
        }

        _awaited = true;
        if (_upBeforeChain)
        {
            Outcome = "lo was up, and the runtime finishes its loopback step before the chain: no wait";
            return;
        }

        if (_upFor is { } upFor)
        {
            var settling = Stopwatch.GetTimestamp();
            var finished = SettleFor(Settle - upFor - Stopwatch.GetElapsedTime(_watched));
            Outcome = $"lo was up, for {upFor.TotalMilliseconds:0} ms or more by the kernel's stamp of its ::1: " +
                (finished ? "the runtime's loopback network had finished" : $"the passthrough address {Settle.TotalMilliseconds:0} ms after it came up") +
                $", {Stopwatch.GetElapsedTime(settling).TotalMilliseconds:0.0} ms of waiting";
            return;
        }

        if (_changes is null)
        {
            return;
        }

        var waiting = Stopwatch.GetTimestamp();
        while (!_rtnl.GetLink("lo").IsUp)
        {
            var left = Patience - Stopwatch.GetElapsedTime(waiting);
            if (left <= TimeSpan.Zero)
            {
                GaveUp = true;
                Outcome = $"lo was down and nothing brought it up within {Patience.TotalMilliseconds:0} ms: bringing it up here " +
                    "(no runtime loopback step, or one so late that it will refuse the sandbox for the passthrough address)";
                return;
            }

            _changes.Wait(left);
        }

        var seen = Stopwatch.GetElapsedTime(_watched);
        var done = SettleFor(Settle);
        Outcome = $"lo was down: the runtime brought it up within {seen.TotalMilliseconds:0.0} ms, the passthrough address " +
            (done ? "once its loopback network had finished" : $"{Settle.TotalMilliseconds:0} ms after that");
    }

    /// <summary>Waits <paramref name="wait"/> (nothing when it is not positive) or until the runtime's loopback result appears; true when it did.</summary>
    private bool SettleFor(TimeSpan wait)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_runtimeResult is not null && File.Exists(_runtimeResult))
            {
                return true;
            }

            var left = wait - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            Thread.Sleep(left < ResultPoll ? left : ResultPoll);
        }
    }

    public void Dispose() => _changes?.Dispose();
}

using System.Diagnostics;
using Sluice.Capture.Policy;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Capture;

/// <summary>
/// Leaves a pod's lo to the runtime until the runtime has looked at it, before capture puts the
/// proxy's IPv6 passthrough source <c>::6</c> there. containerd's CRI (go-cni; 2.x too unless
/// <c>use_internal_loopback</c> is set) runs the loopback plugin at the same time as the pod's
/// chain; that plugin brings lo up, lists lo's addresses right away and fails the sandbox when one
/// is neither 127.0.0.0/8 nor ::1. Every Kubernetes runtime brings lo up (that plugin, or a step of
/// its own before the chain), so a lo that is down when the ADD begins means the runtime's step is
/// still to come. The address then waits until lo is up and <see cref="Settle"/> has passed since
/// that was seen, for at most <see cref="Patience"/> counted from the start of the wait (the rules
/// are installed before it); after that the caller brings lo up itself (a caller with no loopback
/// step, as cnitool; a runtime later than that will then refuse the sandbox). A lo already up when
/// the watch starts costs no wait, though it does not prove the step finished: the plugin may have
/// brought lo up and not listed it yet, and nothing in the namespace shows when it has. Only the
/// rules installed between the watch and the address give that listing time to pass, so on a busy
/// node a sandbox can still fail that way, more rarely (docs/capture.md has the figures).
/// </summary>
public sealed class RuntimeLoopback : IDisposable
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromMilliseconds(20);

    private readonly Rtnl _rtnl;
    private readonly LinkChangeSocket? _changes;
    private readonly long _watched = Stopwatch.GetTimestamp();
    private bool _awaited;

    private RuntimeLoopback(Rtnl rtnl, LinkChangeSocket? changes, TimeSpan patience, TimeSpan settle)
    {
        _rtnl = rtnl;
        _changes = changes;
        Patience = patience;
        Settle = settle;
    }

    public TimeSpan Patience { get; }

    public TimeSpan Settle { get; }

    /// <summary>Whether lo was down when the watch started: the runtime's loopback step was still to come.</summary>
    public bool WasDown => _changes is not null;

    /// <summary>What the wait came to, for the log: null when lo was up from the start.</summary>
    public string? Outcome { get; private set; }

    /// <summary>Whether the patience ran out with lo still down (worth a warning: a late runtime step will fail the sandbox).</summary>
    public bool GaveUp { get; private set; }

    /// <summary>Whether capture under <paramref name="policy"/> puts an address on lo (IPv6 inbound capture), the only case that needs a watch.</summary>
    public static bool MattersFor(CapturePolicy policy) => CaptureRouting.NeedsPassthrough(policy);

    /// <summary>
    /// Starts watching lo through <paramref name="rtnl"/>, a route socket in the pod's namespace
    /// that the caller keeps (call it before the rules are installed). A lo already up needs
    /// nothing more; a lo that is down gets a link notification socket of the calling thread's
    /// namespace, and the wait reads lo again once subscribed, so lo coming up in between is not missed.
    /// </summary>
    public static RuntimeLoopback Watch(Rtnl rtnl, TimeSpan patience, TimeSpan settle)
    {
        ArgumentNullException.ThrowIfNull(rtnl);
        var changes = rtnl.GetLink("lo").IsUp ? null : LinkChangeSocket.Open();
        return new RuntimeLoopback(rtnl, changes, patience, settle);
    }

    /// <summary>
    /// Returns once the runtime has had its look at lo: at once when lo was up from the start;
    /// otherwise when lo is up and the settling time has passed, or when the patience is spent
    /// (lo may then still be down: the caller brings it up). Waits once; later calls return at once.
    /// </summary>
    public void AwaitRuntime()
    {
        if (_changes is null || _awaited)
        {
            return;
        }

        _awaited = true;
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
        Thread.Sleep(Settle);
        Outcome = $"lo was down: the runtime brought it up within {seen.TotalMilliseconds:0.0} ms, the passthrough address {Settle.TotalMilliseconds:0} ms after that";
    }

    public void Dispose() => _changes?.Dispose();
}

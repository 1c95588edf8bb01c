using Sluice.Agent.Install;
using Sluice.Agent.Network;

namespace Sluice.Agent;

/// <summary>The passes of standalone and primary-network mode: our own file, forwarding, the pod network's rules, routes to other nodes.</summary>
public sealed partial class AgentHost
{
    /// <summary>The routes of the last pass (primary-network mode; null before the first and in other modes).</summary>
    public RouteReport? Routes { get; private set; }

    /// <summary>The pods' MTU of the last pass that wrote the pod network's file (primary-network mode; null before).</summary>
    public PodMtu? PodMtu { get; private set; }

    /// <summary>
    /// The routes (and VXLAN entries) are read back from the kernel at least this often with no
    /// node event: at 5,000 nodes a read is 10,000 routes. A route of ours deleted by someone else
    /// is noticed at once (<see cref="Sluice.Linux.Rtnetlink.RouteChangeSocket"/>); this catches what the
    /// kernel does not announce (IPv4 routes dropped with their link). flannel checks every 10 s too.
    /// </summary>
    public static readonly TimeSpan RouteResync = TimeSpan.FromSeconds(10);

    private long _routesCheckedAt = -1;
    private DateTime _nextRouteCheck;
    private bool _routeCheckDue;

    /// <summary>Whether VXLAN devices of an earlier vxlan run were looked for (host-gw backend: once).</summary>
    private bool _overlayCleared;

    /// <summary>Forwarding keys this container cannot set (read-only /proc/sys), said once each.</summary>
    private readonly HashSet<string> _forwardingLeftToPlugin = new(StringComparer.Ordinal);

    /// <summary>Our own file: the pod network's (once this node has pod CIDRs) or sluice-redirect's alone.</summary>
    private ConfOutcome ReconcileOwnConf(List<string> problems, List<string> warnings)
    {
        if (_nodes is null)
        {
            return _own!.Reconcile(OwnConfList.RedirectOnly(_entry));
        }

        var name = _settings.NodeName!;
        if (!_nodes.Synced || _nodes.Find(name) is not { } self)
        {
            return new ConfOutcome(ConfState.Waiting, null, _nodes.Synced ? $"waiting for node {name} to appear in the API server" : "waiting for the node list from the API server");
        }

        if (self.PodCidrs.Count == 0)
        {
            return new ConfOutcome(ConfState.Waiting, null, $"waiting for node {name}'s spec.podCIDRs (set by kube-controller-manager --allocate-node-cidrs)");
        }

        var mtu = FindPodMtu(self);
        if (mtu.Warning is { } warning)
        {
            warnings.Add(warning);
        }

        var outcome = _own!.Reconcile(OwnConfList.PodNetwork(self.PodCidrs, _settings.ClusterCidrs, _settings.IpamDataDir, _settings.LogSocket, _settings.Chained ? _entry : null, mtu.Value));
        if (mtu.Value != PodMtu?.Value)
        {
            _log.Info($"pod MTU {mtu.Source}{(PodMtu is null ? "" : $" (was {PodMtu.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "sluice-bridge's default"})")}");
        }

        PodMtu = mtu;
        if (CniConfFiles.Primary(_settings.CniConfDir, null) is { } first && first != _own.Path)
        {
            Report(problems, $"{first} sorts before {_own.Path}, so the runtime uses it instead of Sluice's pod network: remove it, or set CNI_CONF_FILE_NAME to a name that sorts first");
        }

        return outcome;
    }

    /// <summary>
    /// POD_MTU when set, else from the link in this namespace (the node's) that holds the node's
    /// InternalIP, less the backend's overhead: nothing for host-gw, VXLAN's for vxlan (with direct
    /// routing too: a pod's packets may go either way).
    /// </summary>
    private PodMtu FindPodMtu(NodeAddressing self) =>
        _settings.PodMtu is { } configured
            ? Network.PodMtu.Configured(configured, "POD_MTU")
            : Network.PodMtu.FromUnderlay(
                UnderlayLink.Read(self.InternalIps),
                _settings.Backend == NetworkBackend.Vxlan ? TunnelOverhead.Vxlan : TunnelOverhead.HostGw,
                Network.PodMtu.Floor(_settings.ClusterCidrs));

    /// <summary>
    /// Turns on forwarding for the cluster's families. In an unprivileged container /proc/sys is
    /// read-only: that is said once and is no problem, since sluice-bridge (run on the host by the
    /// runtime) turns forwarding on at each pod's ADD, before the node has a pod to forward for.
    /// </summary>
    private void EnsureForwarding()
    {
        foreach (var (family, key, name) in new[]
        {
            (System.Net.Sockets.AddressFamily.InterNetwork, "net.ipv4.ip_forward", "IPv4"),
            (System.Net.Sockets.AddressFamily.InterNetworkV6, "net.ipv6.conf.all.forwarding", "IPv6"),
        })
        {
            if (!_settings.ClusterCidrs.Any(c => c.BaseAddress.AddressFamily == family))
            {
                continue;
            }

            try
            {
                if (Sluice.Linux.Sysctl.Sysctl.Ensure(key, "1"))
                {
                    _log.Info($"enabled {name} forwarding");
                }
            }
            catch (Sluice.Linux.LinuxException error) when (error.Is(Sluice.Linux.Interop.Errno.EROFS))
            {
                if (_forwardingLeftToPlugin.Add(key))
                {
                    _log.Info($"{name} forwarding is off and this container's /proc/sys is read-only (not privileged): sluice-bridge turns it on at the first pod's ADD");
                }
            }
        }
    }

    /// <summary>The rules sluice-bridge's first ADD would add, in place before it: traffic between nodes' pods is forwarded even on a node whose FORWARD policy is drop.</summary>
    private void EnsureFirewall()
    {
        if (_nodes?.Find(_settings.NodeName!) is not { PodCidrs.Count: > 0 } self)
        {
            return;
        }

        if (Sluice.Bridge.PodNetworkFirewall.Ensure(OwnConfList.PodNetworkName, self.PodCidrs, _settings.ClusterCidrs, Sluice.Cni.Logging.CniLog.Null) is { } backend)
        {
            _log.Info($"accepted {string.Join(", ", _settings.ClusterCidrs)} in FORWARD and masquerade traffic leaving it ({backend})");
        }
    }

    /// <summary>Routes to every other node's pods; nothing is removed before the first node list (a restart must not drop routes it has not re-learnt).</summary>
    private void ReconcileRoutes(NodeWatcher nodes, List<string> problems, List<string> warnings)
    {
        if (!nodes.Synced)
        {
            problems.Add("waiting for the node list from the API server (routes to other nodes' pods)");
            return;
        }

        var version = nodes.Version;
        if (version == _routesCheckedAt && !_routeCheckDue && DateTime.UtcNow < _nextRouteCheck)
        {
            // Nothing changed since the last look: its problems still stand.
            warnings.AddRange(Routes?.Problems ?? []);
            return;
        }

        _routesCheckedAt = version;
        _routeCheckDue = false;
        _nextRouteCheck = DateTime.UtcNow + RouteResync;

        var self = nodes.Find(_settings.NodeName!);
        var vxlan = _settings.Backend == NetworkBackend.Vxlan
            ? new VxlanRouting(_settings.Vxlan, _settings.DirectRouting, _settings.DirectRouting && self is not null ? UnderlayLink.Subnets(self.InternalIps) : [])
            : null;
        var plan = RoutePlan.For(_settings.NodeName!, nodes.Nodes, vxlan);
        warnings.AddRange(plan.Skipped);
        var overlay = ReconcileOverlay(self, plan);
        warnings.AddRange(overlay.Failed);
        var changes = NodeRouteTable.Reconcile(plan, overlay.Devices);
        foreach (var route in changes.Added)
        {
            _log.Info($"route {route}");
        }

        foreach (var route in changes.Removed)
        {
            _log.Info($"removed route {route}");
        }

        warnings.AddRange(changes.Failed);
        Routes = new RouteReport(plan.Routes, [.. plan.Skipped, .. overlay.Failed, .. changes.Failed]);
        Counters.CountRouteChanges(changes.Added.Count + changes.Removed.Count, changes.Failed.Count);
        Counters.SetRoutes(changes.InPlace);
        if (nodes.TakeLargeListApplied())
        {
            ReleaseListMemory();
        }
    }

    /// <summary>
    /// After a large node list is applied and its routes are written: one compacting collection
    /// that returns the free memory to the system. The list's decoded nodes are garbage by then,
    /// several MB at 5,000 nodes, which the GC would otherwise keep committed for minutes, so the
    /// agent's resident memory would stand at the list's peak. Once per list (at start, and after
    /// a 410), one blocking collection of a few ms.
    /// </summary>
    private void ReleaseListMemory()
    {
        var before = Environment.WorkingSet;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _log.Debug($"returned the node list's memory: resident {before >> 20} → {Environment.WorkingSet >> 20} MiB in {watch.Elapsed.TotalMilliseconds:F1} ms");
    }

    /// <summary>
    /// The VXLAN devices and their peers (vxlan backend; once this node is known); returns the
    /// devices in place for the routes and what failed. With host-gw, devices left from a vxlan
    /// run are removed at the first pass.
    /// </summary>
    private OverlayChanges ReconcileOverlay(NodeAddressing? self, RoutePlan plan)
    {
        if (_settings.Backend != NetworkBackend.Vxlan)
        {
            if (!_overlayCleared)
            {
                foreach (var device in VxlanOverlay.RemoveAll())
                {
                    _log.Info($"removed VXLAN device {device}: the backend is host-gw");
                }

                _overlayCleared = true;
            }

            return new OverlayChanges();
        }

        if (self is null)
        {
            return new OverlayChanges();
        }

        var overlay = VxlanOverlay.Reconcile(self, _settings.Vxlan, plan.Routes);
        foreach (var line in overlay.Log)
        {
            _log.Info(line);
        }

        return overlay;
    }

    /// <summary>Problems of other nodes (no InternalIP, a route the kernel refused): logged once each, counted, but this node stays ready.</summary>
    private void WarnOnce(List<string> warnings)
    {
        foreach (var warning in warnings.Where(w => !_warned.Contains(w)))
        {
            _log.Warn(warning);
        }

        _warned = new HashSet<string>(warnings, StringComparer.Ordinal);
    }
}

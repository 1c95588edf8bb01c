using System.Net;
using System.Net.Sockets;
using Sluice.Capture.Policy;
using Sluice.Capture.Rules;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Capture;

/// <summary>
/// What capture needs beyond rules, over rtnetlink. TPROXY's policy routing, per family: packets
/// carrying the mark look up a table whose only route delivers everything locally
/// (<c>ip rule add fwmark M lookup T</c>, <c>ip route add local default dev lo table T</c>). And
/// for IPv6 inbound capture the passthrough source <c>::6</c> on lo, which the proxy binds for
/// its connections to the app (IPv4's 127.0.0.6 is already local: lo holds 127.0.0.0/8).
/// </summary>
internal static class CaptureRouting
{
    private const uint FullMask = 0xffffffff;
    private static readonly IPAddress PassthroughV6 = CaptureCompiler.PassthroughOf(AddressFamily.InterNetworkV6).BaseAddress;

    /// <summary>
    /// Puts what the rules need in place. <paramref name="runtimeLoopback"/>: when given, the
    /// passthrough address waits for the runtime's loopback step (<see cref="RuntimeLoopback"/>).
    /// </summary>
    public static bool Ensure(Rtnl rtnl, CaptureRuleSet rules, CapturePolicy policy, RuntimeLoopback? runtimeLoopback = null)
    {
        var changed = false;
        if (NeedsPassthrough(policy))
        {
            runtimeLoopback?.AwaitRuntime();
        }

        var loopback = rtnl.GetLink("lo");
        if (!loopback.IsUp && (rules.Routing is not null || NeedsPassthrough(policy)))
        {
            rtnl.SetUp(loopback.Index);
            changed = true;
        }

        if (rules.Routing is { } routing)
        {
            foreach (var family in Families(policy))
            {
                if (!HasRule(rtnl, family, routing.Mark, routing.Table))
                {
                    rtnl.AddRule(new Rule(family, routing.Mark, FullMask, routing.Table, TproxyRouting.RulePriority));
                    changed = true;
                }

                if (!rtnl.ListRoutes(family, routing.Table).Any(IsLocalDefault))
                {
                    rtnl.ReplaceRoute(new Route { Family = family, Table = routing.Table, Type = RouteType.Local, OutputIndex = loopback.Index });
                    changed = true;
                }
            }
        }
        else
        {
            changed |= RemoveRouting(rtnl, policy.TproxyMark, policy.TproxyTable);
        }

        if (NeedsPassthrough(policy) && !HasPassthrough(rtnl, loopback.Index))
        {
            rtnl.AddAddress(loopback.Index, PassthroughV6, 128, AddressFlags.NoDad, Scope.Host);
            changed = true;
        }

        return changed;
    }

    public static IEnumerable<string> Verify(Rtnl rtnl, CaptureRuleSet rules, CapturePolicy policy)
    {
        if (rules.Routing is { } routing)
        {
            foreach (var family in Families(policy))
            {
                var name = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
                if (!HasRule(rtnl, family, routing.Mark, routing.Table))
                {
                    yield return $"{name} rule fwmark 0x{routing.Mark:x} lookup {routing.Table} is missing";
                }

                if (!rtnl.ListRoutes(family, routing.Table).Any(IsLocalDefault))
                {
                    yield return $"{name} route local default dev lo table {routing.Table} is missing";
                }
            }
        }

        if (NeedsPassthrough(policy) && !HasPassthrough(rtnl, rtnl.GetLink("lo").Index))
        {
            yield return $"address {PassthroughV6}/128 (the proxy's IPv6 passthrough source) is missing from lo";
        }
    }

    /// <summary>Removes the policy routing and the passthrough address where present; returns whether there was any.</summary>
    public static bool Remove(Rtnl rtnl, CapturePolicy policy)
    {
        var removed = RemoveRouting(rtnl, policy.TproxyMark, policy.TproxyTable);
        var loopback = rtnl.GetLink("lo").Index;
        if (HasPassthrough(rtnl, loopback))
        {
            rtnl.DeleteAddress(loopback, PassthroughV6, 128);
            removed = true;
        }

        return removed;
    }

    private static bool RemoveRouting(Rtnl rtnl, uint mark, int table)
    {
        var removed = false;
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            foreach (var rule in rtnl.ListRules(family).Where(r => r.Mark == mark && r.Mask == FullMask && r.Table == table))
            {
                rtnl.DeleteRule(rule);
                removed = true;
            }

            foreach (var route in rtnl.ListRoutes(family, table).Where(IsLocalDefault))
            {
                rtnl.DeleteRoute(route);
                removed = true;
            }
        }

        return removed;
    }

    internal static bool NeedsPassthrough(CapturePolicy policy) => policy.CapturesInbound && policy.Covers(AddressFamily.InterNetworkV6);

    private static bool HasPassthrough(Rtnl rtnl, int loopback)
    {
        try
        {
            return rtnl.ListAddresses(loopback, AddressFamily.InterNetworkV6).Any(a => a.Address.Equals(PassthroughV6));
        }
        catch (LinuxException error) when (error.Is(Errno.EAFNOSUPPORT))
        {
            return false;
        }
    }

    private static bool HasRule(Rtnl rtnl, AddressFamily family, uint mark, int table) =>
        rtnl.ListRules(family).Any(r => r.Mark == mark && r.Mask == FullMask && r.Table == table);

    private static bool IsLocalDefault(Route route) => route.Type == RouteType.Local && route.IsDefault;

    private static IEnumerable<AddressFamily> Families(CapturePolicy policy) =>
        new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }.Where(policy.Covers);
}

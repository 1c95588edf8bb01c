using System.Net.Sockets;
using Sluice.Capture.Iptables;
using Sluice.Capture.Nft;
using Sluice.Capture.Policy;
using Sluice.Capture.Rules;
using Sluice.Linux.Iptables;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;
using Sluice.Linux.Rtnetlink;
using IptablesRunner = Sluice.Linux.Iptables.Iptables;

namespace Sluice.Capture;

/// <summary>
/// Installs, checks and removes a capture policy in one network namespace (or the caller's).
/// The backend is chosen once, when the engine opens: nftables when asked or, for <c>auto</c>,
/// when the kernel has nf_tables; otherwise iptables, legacy or nft as the caller forces it or as
/// detected (the variant that already holds rules, else nft). The engine reads nothing from the
/// process environment: whatever forces a variant is passed in. Applying also clears Sluice's rules from the other backends, so a
/// change of backend leaves one copy; every change is read back and must match what was meant
/// (<see cref="CaptureInstallException"/> otherwise); a failed apply removes what it installed.
/// </summary>
public sealed class CaptureEngine : IDisposable
{
    private static readonly AddressFamily[] BothFamilies = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private readonly NetNs? _ns;
    private readonly Rtnl? _routes;
    private readonly SharedNftables _netfilter;
    private readonly ICaptureBackend _backend;
    private readonly List<ICaptureBackend> _others = [];

    private CaptureEngine(NetNs? ns, SharedNftables netfilter, ICaptureBackend backend, string reason, Rtnl? routes)
    {
        _ns = ns;
        _routes = routes;
        _netfilter = netfilter;
        _backend = backend;
        Reason = reason;
    }

    /// <summary>nftables, iptables-nft or iptables-legacy.</summary>
    public string Backend => _backend.Name;

    /// <summary>Why that backend.</summary>
    public string Reason { get; }

    /// <summary>How many iptables commands this engine has run (benchmarks and tests count them).</summary>
    public int Executions => new[] { _backend }.Concat(_others).OfType<IptablesCaptureBackend>().Sum(b => b.Runner.Executions);

    /// <summary>
    /// Opens the engine for <paramref name="ns"/> (null: the caller's namespace); <paramref name="variantFrom"/> says who forced <paramref name="variant"/>.
    /// <paramref name="routes"/>: a route socket the caller already has in that namespace, used
    /// for policy routing instead of a socket of the engine's own (the caller disposes it).
    /// </summary>
    public static CaptureEngine Open(NetNs? ns, CaptureBackendKind kind, IptablesVariant? variant = null, string? variantFrom = null, Rtnl? routes = null)
    {
        var netfilter = new SharedNftables(ns);
        try
        {
            return kind switch
            {
                CaptureBackendKind.Iptables => WithIptables(ns, netfilter, variant, variantFrom, null, routes),
                CaptureBackendKind.Nftables => new CaptureEngine(ns, netfilter, new NftCaptureBackend(netfilter), "asked for", routes),
                _ when netfilter.Supported => new CaptureEngine(ns, netfilter, new NftCaptureBackend(netfilter), "auto: the kernel has nf_tables", routes),
                _ => WithIptables(ns, netfilter, variant, variantFrom, "auto: the kernel has no nf_tables", routes),
            };
        }
        catch
        {
            netfilter.Dispose();
            throw;
        }
    }

    /// <summary>The rules a policy installs, as the given backend would write them to an empty namespace; touches nothing.</summary>
    public static string Render(CapturePolicy policy, CaptureBackendKind kind)
    {
        var rules = CaptureCompiler.Compile(policy);
        var text = kind == CaptureBackendKind.Iptables
            ? new IptablesCaptureBackend(new IptablesRunner(IptablesVariant.Nft), null, null).Render(rules)
            : NftCaptureScript.Render(rules, NftCaptureBackend.Table, NftCaptureBackend.Comment);
        return text + RoutingComment(rules, policy);
    }

    /// <summary>What this engine's backend would install in an empty namespace.</summary>
    public string Render(CapturePolicy policy)
    {
        var rules = CaptureCompiler.Compile(policy);
        return _backend.Render(rules) + RoutingComment(rules, policy);
    }

    /// <summary>
    /// Installs <paramref name="policy"/>. <paramref name="runtimeLoopback"/>: a CNI ADD's watch of the
    /// pod's lo, so that the passthrough address waits for the runtime's loopback step.
    /// </summary>
    public CaptureOutcome Apply(CapturePolicy policy, RuntimeLoopback? runtimeLoopback = null)
    {
        var compiled = CompiledPolicies.Of(policy);
        var rules = compiled.Rules;
        _netfilter.Writing();
        try
        {
            var changed = _backend.Apply(rules);
            using (var rtnl = OpenRtnl())
            {
                changed |= CaptureRouting.Ensure(rtnl.Rtnl, rules, policy, runtimeLoopback);
            }

            var cleared = new List<string>();
            foreach (var other in Others().Where(o => o.Holds()))
            {
                other.Remove();
                cleared.Add(other.Name);
            }

            // What was written is read back: the apply only counts when the kernel holds exactly the
            // rules meant (unchanged means the backend just compared them and found them equal).
            if (changed && Installed(compiled, policy) is { Count: > 0 } problems)
            {
                throw new CaptureInstallException(Backend, problems);
            }

            return new CaptureOutcome(Backend, Reason, changed || cleared.Count > 0, cleared);
        }
        catch (Exception)
        {
            // Undo after the failed step has disposed what it opened; the original failure is rethrown.
            RemoveAfterFailure(policy);
            throw;
        }
    }

    /// <summary>What differs from the policy's rules, in this backend and in policy routing; empty when all is in place.</summary>
    public IReadOnlyList<string> Verify(CapturePolicy policy)
    {
        using var look = _netfilter.Look();
        var problems = Installed(CompiledPolicies.Of(policy), policy);
        foreach (var other in Others())
        {
            if (other.Holds())
            {
                problems.Add($"{other.Name} also holds Sluice's capture rules");
            }
        }

        return problems;
    }

    /// <summary>Whether any backend holds Sluice's capture rules at all (rules that differ from a policy, rather than none).</summary>
    public bool HoldsRules()
    {
        using var look = _netfilter.Look();
        return AllBackends().Any(b => b.Holds());
    }

    /// <summary>What differs between the chosen backend's rules and policy routing and <paramref name="rules"/>.</summary>
    private List<string> Installed(CompiledCapture compiled, CapturePolicy policy)
    {
        var rules = compiled.Rules;
        var problems = _backend.Verify(compiled).ToList();
        using var rtnl = OpenRtnl();
        problems.AddRange(CaptureRouting.Verify(rtnl.Rtnl, rules, policy));
        return problems;
    }

    /// <summary>Removes Sluice's capture rules from every backend, and the policy's TPROXY routing; returns what held something.</summary>
    public IReadOnlyList<string> Remove(CapturePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _netfilter.Writing();
        var removed = new List<string>();
        foreach (var backend in AllBackends())
        {
            if (backend.Remove())
            {
                removed.Add(backend.Name);
            }
        }

        using var rtnl = OpenRtnl();
        if (CaptureRouting.Remove(rtnl.Rtnl, policy))
        {
            removed.Add("routing");
        }

        return removed;
    }

    public void Dispose() => _netfilter.Dispose();

    private static CaptureEngine WithIptables(NetNs? ns, SharedNftables netfilter, IptablesVariant? variant, string? variantFrom, string? why, Rtnl? routes)
    {
        var choice = IptablesDetector.Detect(ns, variant, variantFrom);
        var reason = why is null ? choice.Reason : $"{why}; {choice.Reason}";
        return new CaptureEngine(ns, netfilter, new IptablesCaptureBackend(new IptablesRunner(choice.Variant, ns), ns, netfilter), reason, routes);
    }

    private void RemoveAfterFailure(CapturePolicy policy)
    {
        try
        {
            _backend.Remove();
            using var rtnl = OpenRtnl();
            CaptureRouting.Remove(rtnl.Rtnl, policy);
        }
        catch (Exception)
        {
            // The original failure is what the caller needs to see.
        }
    }

    /// <summary>The backends other than the chosen one, opened when first needed.</summary>
    private List<ICaptureBackend> Others()
    {
        if (_others.Count > 0)
        {
            return _others;
        }

        if (_backend is not NftCaptureBackend && _netfilter.Supported)
        {
            _others.Add(new NftCaptureBackend(_netfilter));
        }

        foreach (var variant in new[] { IptablesVariant.Nft, IptablesVariant.Legacy })
        {
            if (_backend is not IptablesCaptureBackend own || own.Runner.Variant != variant)
            {
                _others.Add(new IptablesCaptureBackend(new IptablesRunner(variant, _ns), _ns, _netfilter));
            }
        }

        return _others;
    }

    private IEnumerable<ICaptureBackend> AllBackends() => Others().Prepend(_backend);

    /// <summary>What capture changes beyond rules (<see cref="CaptureRouting"/>), as comments: valid in nft -f and iptables-restore input.</summary>
    private static string RoutingComment(CaptureRuleSet rules, CapturePolicy policy)
    {
        var text = rules.Routing is not { } routing ? "" : string.Concat(
            Families(rules).Select(f => $"# {(f == AddressFamily.InterNetwork ? "ip -4" : "ip -6")} rule add fwmark 0x{routing.Mark:x} lookup {routing.Table} priority {TproxyRouting.RulePriority}; " +
                $"{(f == AddressFamily.InterNetwork ? "ip -4" : "ip -6")} route add local default dev lo table {routing.Table}\n"));
        return policy.CapturesInbound && policy.Covers(AddressFamily.InterNetworkV6)
            ? text + "# ip -6 address add ::6/128 dev lo (the source the proxy binds to reach the app)\n"
            : text;
    }

    private RouteSocket OpenRtnl() => new(_routes ?? (_ns is null ? Rtnl.Open() : Rtnl.OpenIn(_ns)), owned: _routes is null);

    /// <summary>The caller's route socket, or one of the engine's own for one step (closed after it).</summary>
    private readonly struct RouteSocket(Rtnl rtnl, bool owned) : IDisposable
    {
        public Rtnl Rtnl => rtnl;

        public void Dispose()
        {
            if (owned)
            {
                rtnl.Dispose();
            }
        }
    }

    private static IEnumerable<AddressFamily> Families(CaptureRuleSet rules) =>
        BothFamilies.Where(f => rules.Families.HasFlag(f == AddressFamily.InterNetwork ? CaptureFamilies.Ipv4 : CaptureFamilies.Ipv6));
}

namespace Sluice.Capture.Rules;

/// <summary>The netfilter tables capture uses.</summary>
public enum CaptureTable
{
    Nat,
    Mangle,
}

/// <summary>The hooks capture attaches to.</summary>
public enum CaptureHook
{
    Prerouting,
    Output,
}

/// <summary>
/// A chain of one table. A hook chain (<see cref="Hook"/> set) is where packets enter: iptables
/// gets it as chain <c>SLUICE_PREROUTING</c>/<c>SLUICE_OUTPUT</c> with one jump from the built-in
/// chain, nftables as a base chain. Other chains are reached by jumps. Names are logical
/// (<c>INBOUND</c>); each backend spells them its own way.
/// </summary>
public sealed record CaptureChain(CaptureTable Table, string Name, CaptureHook? Hook, IReadOnlyList<CaptureRule> Rules)
{
    public bool IsHook => Hook is not null;
}

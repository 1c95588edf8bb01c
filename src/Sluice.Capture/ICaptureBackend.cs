using Sluice.Capture.Rules;

namespace Sluice.Capture;

/// <summary>
/// One way of installing capture rules in a namespace. Every backend converges: applying the same
/// rule set again changes nothing, applying a different one replaces Sluice's rules and nothing
/// else, and removal leaves foreign rules alone.
/// </summary>
internal interface ICaptureBackend
{
    /// <summary>nftables, iptables-nft or iptables-legacy.</summary>
    string Name { get; }

    /// <summary>Whether Sluice's capture rules are present in this backend.</summary>
    bool Holds();

    /// <summary>Installs the rules; returns whether anything changed.</summary>
    bool Apply(CaptureRuleSet rules);

    /// <summary>What differs between the installed rules and <paramref name="rules"/>; empty when they match.</summary>
    IReadOnlyList<string> Verify(CaptureRuleSet rules);

    /// <summary>As <see cref="Verify(CaptureRuleSet)"/>, with the forms a backend compares with made once per policy.</summary>
    IReadOnlyList<string> Verify(CompiledCapture compiled) => Verify(compiled.Rules);

    /// <summary>Removes Sluice's rules; returns whether there were any.</summary>
    bool Remove();

    /// <summary>What <see cref="Apply"/> would install in an empty namespace, as text a person (or nft -f, or iptables-restore) can read.</summary>
    string Render(CaptureRuleSet rules);
}

using System.Net.Sockets;

namespace Sluice.Capture.Rules;

/// <summary>
/// A rule: conditions, in canonical order, and an action. <see cref="Family"/> is set when the
/// rule only applies to one IP family (it names an address, or TPROXY of that family).
/// </summary>
public sealed record CaptureRule
{
    public CaptureRule(AddressFamily? family, IEnumerable<CaptureMatch> matches, CaptureAction action)
    {
        Family = family;
        Matches = matches.OrderBy(m => m.Rank).ToList();
        Action = action;
    }

    public AddressFamily? Family { get; }

    public IReadOnlyList<CaptureMatch> Matches { get; }

    public CaptureAction Action { get; }

    public bool AppliesTo(AddressFamily family) => Family is null || Family == family;
}

namespace Sluice.TestSupport;

/// <summary>
/// What a plugin could change on a test node: the files under the node's temporary root
/// (<see cref="FileTreeSnapshot"/>) and the node namespace's links, addresses, routes, policy
/// rules and firewall rules (<see cref="NetnsSnapshot"/>). Take one before and one after, and
/// <see cref="Changes"/> names what differs.
/// </summary>
public sealed record NodeSnapshot(string Files, string Network)
{
    public static NodeSnapshot Take(string root, TestNetns node, params string[] except)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new(FileTreeSnapshot.Take(root, except), NetnsSnapshot.Take(node));
    }

    /// <summary>Lines only in this snapshot (<c>-</c>) or only in <paramref name="after"/> (<c>+</c>); empty when nothing changed.</summary>
    public string Changes(NodeSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return string.Join('\n', Diff("files", Files, after.Files).Concat(Diff("network", Network, after.Network)));
    }

    private static IEnumerable<string> Diff(string what, string before, string after)
    {
        var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return old.Except(now).Select(l => $"{what} - {l}").Concat(now.Except(old).Select(l => $"{what} + {l}"));
    }
}

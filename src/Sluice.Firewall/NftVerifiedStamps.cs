using System.Globalization;
using System.Text;
using Sluice.Linux;
using Sluice.Linux.Files;

namespace Sluice.Firewall;

/// <summary>
/// sluice-bridge's stamps (docs/bridge.md, "Firewall"): one file per node namespace and network in
/// <see cref="Directory"/>, each saying "the nftables rules of this network were verified
/// complete at generation G of the namespace with cookie C". sluice-bridge writes them after a
/// verification that saw the generation unchanged. A Sluice component whose commit changes its own
/// table and nothing else carries them over that commit (<see cref="CarryOver"/>), so sluice-portmap
/// adding a pod's hostPort rules does not make the next pod's ADD read the bridge's rules again.
/// </summary>
public static class NftVerifiedStamps
{
    public const string Directory = "/var/run/sluice/bridge";
    private const string FilePrefix = "firewall-";

    /// <summary>
    /// The stamp of network <paramref name="planId"/> in the namespace with <paramref name="cookie"/>:
    /// named after both, so carrying a namespace's stamps over opens only its own (the directory
    /// also holds the stamps of other namespaces, pods' node namespaces in tests for one).
    /// </summary>
    public static string PathOf(ulong cookie, string planId) =>
        Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{cookie:x}-{planId}"));

    /// <summary>A stamp's content: the table, the namespace's cookie, the generation and the hash of the network's plan.</summary>
    // Concatenated: Prefix interpolates, and an interpolation around it would nest (docs/benchmarks.md, "Nested interpolations").
    public static string Format(ulong cookie, uint generation, ulong planHash) =>
        Prefix(cookie, generation) + planHash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>
    /// Moves this namespace's stamps from generation <paramref name="before"/> to
    /// <paramref name="after"/>, after a commit of the caller's that changed no table but its own
    /// (never <c>sluice_bridge</c>), with <paramref name="before"/> read just before the commit and
    /// <paramref name="after"/> just after. The kernel counts the generation up by one per
    /// committed transaction, so <paramref name="after"/> being <paramref name="before"/> + 1 proves
    /// the caller's commit was the only one in between: the bridge's rules at
    /// <paramref name="after"/> are those verified at <paramref name="before"/>. Any other pair
    /// moves nothing. Returns how many stamps moved; one that cannot be read or written stays
    /// (it then costs the next ADD a full read, as any stamp that does not match).
    /// <para>
    /// Callers run it after releasing the node's firewall lock. What a carried stamp claims (the
    /// rules at <paramref name="after"/>) is fixed by the two generations, not by when the file is
    /// written, and stays true after any later commit: a reader compares the claimed generation with
    /// the current one and reads everything when they differ. A commit that lands before the carry
    /// makes the carried stamp stale at once (a full read for the next ADD, never a wrong skip); a
    /// stamp another process writes meanwhile is replaced whole (write and rename) by one that is
    /// equally true.
    /// </para>
    /// </summary>
    public static int CarryOver(ulong cookie, uint before, uint after)
    {
        if (after != unchecked(before + 1))
        {
            return 0;
        }

        var moved = 0;
        try
        {
            var stale = Prefix(cookie, before);
            foreach (var path in PathsOf(cookie))
            {
                var content = File.ReadAllText(path).TrimEnd('\n');
                if (content.StartsWith(stale, StringComparison.Ordinal))
                {
                    DurableFile.Write(path, Encoding.ASCII.GetBytes(Prefix(cookie, after) + content[stale.Length..] + "\n"), FileSync.None);
                    moved++;
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or LinuxException)
        {
            // A stamp left behind only costs a full read.
        }

        return moved;
    }

    /// <summary>
    /// Removes the stamps of the namespace with <paramref name="cookie"/>, for whoever removes that
    /// namespace: a cookie is never reused, so they could never match again, and every stamp left
    /// in <see cref="Directory"/> lengthens the listing of each <see cref="CarryOver"/> on the node.
    /// A node's own namespace lives as long as the node; test and bench nodes come and go. Returns
    /// how many went.
    /// </summary>
    public static int RemoveOf(ulong cookie)
    {
        var stamps = PathsOf(cookie);
        foreach (var path in stamps)
        {
            File.Delete(path);
        }

        return stamps.Count;
    }

    /// <summary>The stamps of the namespace with <paramref name="cookie"/> there are, one per network (none without the directory).</summary>
    public static IReadOnlyList<string> PathsOf(ulong cookie) =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, Path.GetFileName(PathOf(cookie, "*")))
            : [];

    private static string Prefix(ulong cookie, uint generation) =>
        string.Create(CultureInfo.InvariantCulture, $"{FirewallComponent.BridgeTable} netns={cookie} generation={generation} plan=");
}

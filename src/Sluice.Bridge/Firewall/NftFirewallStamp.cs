using System.Text;
using Sluice.Cni.Logging;
using Sluice.Firewall;
using Sluice.Linux;
using Sluice.Linux.Files;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// Lets an ADD skip reading the firewall when nothing can have changed since an earlier ADD found
/// the network's nftables rules complete. The kernel counts the ruleset's generation up with every
/// committed nf_tables transaction in a namespace, whoever commits it; a stamp records (namespace
/// cookie, generation, plan) after a verification that committed nothing and saw the generation
/// unchanged from before its first read to after its last. An ADD that finds the same three needs
/// no firewall work: the rules it would read are the ones that were verified. Any commit on the
/// node (kube-proxy, nft, a flush) moves the generation and the next ADD verifies in full, except a
/// Sluice component's commit to its own table alone, which carries the stamp over (<see cref="NftVerifiedStamps.CarryOver"/>).
/// Only for the nftables backend: iptables-legacy changes do not move the generation. The stamp
/// lives beside the agent's sockets in the run directory, on tmpfs (<see cref="Directory"/>), so it does not outlive a reboot; the namespace cookie
/// is never reused, so a stamp of a deleted namespace matches no other.
/// </summary>
internal sealed class NftFirewallStamp : IDisposable
{
    public const string Directory = NftVerifiedStamps.Directory;

    private readonly Nftables _nft;
    private readonly string _path;
    private readonly string? _key;

    private NftFirewallStamp(Nftables nft, FirewallPlan plan)
    {
        _nft = nft;
        var cookie = nft.NamespaceCookie();
        Generation = nft.Generation();
        _path = cookie is { } namespaceCookie ? NftVerifiedStamps.PathOf(namespaceCookie, plan.Id) : "";
        _key = cookie is { } known ? Key(known, Generation, plan) : null;
        IsCurrent = _key is not null && ReadStamp() == _key;
    }

    /// <summary>The rules were verified at this very generation of this namespace for this plan.</summary>
    public bool IsCurrent { get; }

    /// <summary>The generation read when the stamp was looked at, before any firewall read.</summary>
    public uint Generation { get; }

    /// <summary>A stamp reader for the plan, or null when the backend is not (or may not be) native nftables.</summary>
    public static NftFirewallStamp? For(FirewallBackend backend, FirewallPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (backend is not (FirewallBackend.Auto or FirewallBackend.Nftables))
        {
            return null;
        }

        var nft = Nftables.Open();
        try
        {
            return new NftFirewallStamp(nft, plan);
        }
        catch (LinuxException)
        {
            // No nf_tables here: the full path decides what to use.
            nft.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Records the verification just made, if nothing was committed since the stamp read the
    /// generation (the rules read are then exactly the rules of that generation).
    /// </summary>
    /// <remarks>A stamp that cannot be written only costs the next ADD a full read: the error goes to the log, not to the runtime.</remarks>
    public bool RecordIfUnchanged(CniLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            if (_key is null || _nft.Generation() != Generation)
            {
                return false;
            }

            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            DurableFile.Write(_path, Encoding.ASCII.GetBytes(_key + "\n"), FileSync.None);
            return true;
        }
        catch (Exception error) when (error is LinuxException or IOException or UnauthorizedAccessException)
        {
            log.Warn($"not recording the verified firewall state in {_path}: {error.Message}");
            return false;
        }
    }

    public void Dispose() => _nft.Dispose();

    /// <summary>Everything the verification depended on: the namespace, the generation and what the plan asks for.</summary>
    internal static string Key(ulong cookie, uint generation, FirewallPlan plan)
    {
        var wanted = string.Join(
            ' ',
            plan.Network,
            string.Join(',', plan.Sources.Select(n => n.ToString()).Order(StringComparer.Ordinal)),
            string.Join(',', plan.Destinations.Select(n => n.ToString()).Order(StringComparer.Ordinal)),
            plan.DestinationsConfigured,
            plan.Forward,
            plan.Masquerade);
        return NftVerifiedStamps.Format(cookie, generation, StableHash.Of(wanted));
    }

    private string? ReadStamp()
    {
        try
        {
            return File.ReadAllText(_path).TrimEnd('\n');
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}

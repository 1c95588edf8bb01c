using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport;

/// <summary>
/// A named network namespace that lives for one test. Names start with <see cref="Prefix"/> so a
/// leak check can find any that survive. Everything created inside goes with it.
/// </summary>
public sealed class TestNetns : IDisposable
{
    public const string Prefix = "slt-";

    private static readonly ConcurrentDictionary<string, bool> Created = new(StringComparer.Ordinal);

    private TestNetns(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    public static TestNetns Create(string role)
    {
        var name = $"{Prefix}{role}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var path = NamedNetNs.Create(name);
        Created[name] = true;
        return new TestNetns(name, path);
    }

    public NetNs Open() => NetNs.Open(Path);

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>), failing the test on a non-zero exit.</summary>
    public string Exec(string file, params string[] arguments) =>
        ProcessRunner.Check("ip", ["netns", "exec", Name, file, .. arguments]);

    /// <summary>Runs a command inside the namespace and returns its result whatever the exit code.</summary>
    public ProcessResult TryExec(string file, params string[] arguments) =>
        ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", Name, file, .. arguments], inheritEnvironment: true);

    public void Dispose()
    {
        if (NamedNetNs.Exists(Name))
        {
            RemoveFirewallStamps();
            NamedNetNs.Delete(Name);
        }
    }

    /// <summary>
    /// sluice-bridge's firewall stamps of this namespace, when it played a node (docs/bridge.md,
    /// "Firewall"): they live in the host's run directory, and would outlive the namespace.
    /// </summary>
    private void RemoveFirewallStamps()
    {
        try
        {
            using var ns = Open();
            if (ns.Run(() =>
                {
                    using var nft = Sluice.Linux.Nftables.Nftables.Open();
                    return nft.NamespaceCookie();
                }) is { } cookie)
            {
                Sluice.Firewall.NftVerifiedStamps.RemoveOf(cookie);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            // Not root (no stamps were written then), or the namespace is going already.
        }
    }

    /// <summary>Namespaces this process created that still exist (should be none after every test's Dispose).</summary>
    public static IReadOnlyList<string> Leftovers() =>
        NamedNetNs.List().Where(Created.ContainsKey).ToList();

    /// <summary>Deletes what <see cref="Leftovers"/> reports.</summary>
    public static void DeleteLeftovers()
    {
        foreach (var name in Leftovers())
        {
            NamedNetNs.Delete(name);
        }
    }
}

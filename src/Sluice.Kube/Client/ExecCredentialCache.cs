using System.Collections.Concurrent;
using Sluice.Kube.Config;

namespace Sluice.Kube.Client;

/// <summary>
/// One credential per exec plugin call in this process, as client-go keeps them: reused until its
/// expirationTimestamp (for ever without one), fetched again once it has expired or the server
/// refused it (<see cref="Forget"/>). Every client and every reload of the same kubeconfig shares
/// it, so sluice-agent, which reloads its kubeconfig at each resync, runs the plugin only when
/// the credential runs out. One caller runs the plugin; the others wait for its answer.
/// </summary>
internal static class ExecCredentialCache
{
    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    public static ExecCredential Get(ExecCredentialSettings settings, string where, TimeProvider? clock = null)
    {
        var entry = Entries.GetOrAdd(settings.CacheKey, _ => new Entry());
        lock (entry.Lock)
        {
            if (entry.Credential is { } credential && credential.IsFresh((clock ?? TimeProvider.System).GetUtcNow()))
            {
                return credential;
            }

            entry.Credential = ExecCredentialPlugin.Run(settings, where);
            return entry.Credential;
        }
    }

    /// <summary>Drops <paramref name="refused"/> (the server answered 401 to it) unless a newer one replaced it already.</summary>
    public static void Forget(ExecCredentialSettings settings, ExecCredential refused)
    {
        if (Entries.TryGetValue(settings.CacheKey, out var entry))
        {
            lock (entry.Lock)
            {
                if (ReferenceEquals(entry.Credential, refused))
                {
                    entry.Credential = null;
                }
            }
        }
    }

    private sealed class Entry
    {
        public Lock Lock { get; } = new();

        public ExecCredential? Credential { get; set; }
    }
}

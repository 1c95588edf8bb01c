using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Install;

/// <summary>
/// The plugins' own token: issued by the API server for the plugins' service account (the
/// TokenRequest API), which may only get pods, so the file on every node does not carry the
/// agent's right to list and watch every pod. Asked for again once 80 % of its life is gone;
/// when the API server cannot be reached the token held is kept while it is valid, and asked for
/// at most every <see cref="RetryAfter"/>.
/// </summary>
public sealed class PluginTokens(KubeClient client, string ns, string name, TimeProvider clock, AgentLog log)
{
    /// <summary>What is asked for; the API server may shorten it (its answer's expiry is what counts).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>A token is not used in its last minute (clocks differ a little).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    private ServiceAccountToken? _held;
    private DateTimeOffset _askAt;
    private string? _failure;

    public string ServiceAccount => $"{ns}/{name}";

    /// <summary>The token to write for the plugins.</summary>
    /// <exception cref="KubeConfigException">No valid token is held and the API server gave none.</exception>
    public string Current()
    {
        var now = clock.GetUtcNow();
        if (now >= _askAt)
        {
            Ask(now);
        }

        if (_held is { } held && now < held.Expires - Margin)
        {
            return held.Token;
        }

        throw new KubeConfigException($"no token for the plugins' service account {ServiceAccount}: {_failure ?? "the token held has expired"}");
    }

    private void Ask(DateTimeOffset now)
    {
        string failure;
        try
        {
            var issued = client.RequestTokenAsync(ns, name, Lifetime).GetAwaiter().GetResult();
            var life = issued.Expires - now;
            if (life > Margin)
            {
                log.Info($"issued a token for the plugins' service account {ServiceAccount}, valid until {issued.Expires:u}");
                _held = issued;
                _failure = null;
                _askAt = now + (life * 0.8);
                return;
            }

            failure = $"the API server issued a token that expires at {issued.Expires:u}, within a minute";
        }
        catch (KubeApiException error)
        {
            failure = error.Message;
        }

        _failure = failure;
        _askAt = now + RetryAfter;
        if (_held is { } held && now < held.Expires - Margin)
        {
            log.Warn($"renewing the token of the plugins' service account {ServiceAccount}: {failure}; the current one is valid until {held.Expires:u}");
        }
    }
}

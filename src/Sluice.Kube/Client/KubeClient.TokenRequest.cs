using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sluice.Kube.Client;

/// <summary>A token the API server issued for a service account, and when it stops being accepted.</summary>
public sealed record ServiceAccountToken(string Token, DateTimeOffset Expires);

public sealed partial class KubeClient
{
    /// <summary>
    /// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token (the TokenRequest API): a token
    /// for that service account that expires after <paramref name="lifetime"/> (the server may
    /// shorten it; the answer's expirationTimestamp is what counts).
    /// </summary>
    public async Task<ServiceAccountToken> RequestTokenAsync(string ns, string name, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var request = string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":{{{(long)lifetime.TotalSeconds}}}}}""");
        var operation = new Operation("POST", $"token for service account {ns}/{name}");
        var body = new RequestBody(HttpMethod.Post, Json, Encoding.UTF8.GetBytes(request));
        var (response, attempts) = await SendAsync($"api/v1/namespaces/{Escape(ns)}/serviceaccounts/{Escape(name)}/token", operation, body, streaming: false, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Decode(json, ReadTokenRequestStatus, operation, attempts);
        }
    }

    /// <summary>The TokenRequest's status: <c>token</c> and <c>expirationTimestamp</c> (RFC 3339).</summary>
    private static ServiceAccountToken ReadTokenRequestStatus(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("the TokenRequest has no status");
        }

        var token = status.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var expires = status.TryGetProperty("expirationTimestamp", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (string.IsNullOrEmpty(token) || token.Any(c => c <= ' ' || c > '~'))
        {
            throw new JsonException("status.token is missing or not a printable token");
        }

        if (!DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry))
        {
            throw new JsonException("status.expirationTimestamp is missing or not a time");
        }

        return new ServiceAccountToken(token, expiry);
    }
}

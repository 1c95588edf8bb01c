using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Sluice.TestSupport;

/// <summary>
/// The TokenRequest API (POST …/serviceaccounts/NAME/token) and the tokens it issues, which are
/// authorized as a service account bound to a role that may only get pods: any other request
/// made with one is 403 Forbidden, as the chart's RBAC makes it on a real cluster.
/// </summary>
public sealed partial class FakeKubeApi
{
    private readonly ConcurrentDictionary<string, (string ServiceAccount, DateTimeOffset Expires)> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _tokenRequests = new();

    /// <summary>The longest life an issued token gets (the server shortens longer requests); null: as asked.</summary>
    public TimeSpan? MaxTokenLifetime { get; set; }

    /// <summary>Token requests are refused with 403 (the agent's RBAC lacks serviceaccounts/token create).</summary>
    public bool RefuseTokenRequests { get; set; }

    /// <summary>The service accounts (NAMESPACE/NAME) tokens were requested for, in order.</summary>
    public IReadOnlyList<string> TokenRequests => [.. _tokenRequests];

    /// <summary>Whether <paramref name="token"/> was issued through the TokenRequest API and is still valid.</summary>
    public bool IsIssuedToken(string token) => _issued.TryGetValue(token, out var issued) && issued.Expires > DateTimeOffset.UtcNow;

    /// <summary>Every issued token stops being accepted now.</summary>
    public void ExpireIssuedTokens()
    {
        foreach (var token in _issued.Keys)
        {
            _issued[token] = (_issued[token].ServiceAccount, DateTimeOffset.UtcNow.AddSeconds(-1));
        }
    }

    /// <summary>The service account an issued bearer token stands for; null for any other credential.</summary>
    private string? IssuedServiceAccount(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _issued.TryGetValue(header["Bearer ".Length..], out var issued) && issued.Expires > DateTimeOffset.UtcNow
            ? issued.ServiceAccount
            : null;
    }

    /// <summary>What the plugins' role allows: get one pod. False after answering 403.</summary>
    private static async Task<bool> AuthorizeIssuedAsync(HttpContext context, string serviceAccount, string[] parts)
    {
        var watch = context.Request.Query.ContainsKey("watch");
        if (HttpMethods.IsGet(context.Request.Method) && !watch && parts is ["api", "v1", "namespaces", _, "pods", _])
        {
            return true;
        }

        var (ns, name) = (serviceAccount.Split('/')[0], serviceAccount.Split('/')[1]);
        await WriteStatusAsync(context, 403, $"User \"system:serviceaccount:{ns}:{name}\" cannot {context.Request.Method.ToLowerInvariant()} {string.Join('/', parts)}", "Forbidden");
        return false;
    }

    private async Task RequestTokenAsync(HttpContext context, string ns, string name)
    {
        if (RefuseTokenRequests)
        {
            await WriteStatusAsync(context, 403, $"serviceaccounts \"{name}\" is forbidden: cannot create resource \"serviceaccounts/token\" in namespace \"{ns}\"", "Forbidden");
            return;
        }

        var request = await ReadBodyAsync(context) as JsonObject;
        if ((string?)request?["kind"] != "TokenRequest" || request["spec"]?["expirationSeconds"]?.GetValue<long>() is not (>= 600 and var seconds))
        {
            await WriteStatusAsync(context, 422, "TokenRequest is invalid: spec.expirationSeconds may not specify a duration less than 10 minutes", "Invalid");
            return;
        }

        _tokenRequests.Enqueue($"{ns}/{name}");
        var lifetime = TimeSpan.FromSeconds(seconds);
        if (MaxTokenLifetime is { } max && max < lifetime)
        {
            lifetime = max;
        }

        var token = "issued-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = DateTimeOffset.UtcNow + lifetime;
        _issued[token] = ($"{ns}/{name}", expires);
        var answer = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = request["spec"]!.DeepClone(),
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
        };
        await WriteJsonAsync(context, 201, answer.ToJsonString());
    }
}

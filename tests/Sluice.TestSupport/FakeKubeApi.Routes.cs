using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sluice.TestSupport;

public sealed partial class FakeKubeApi
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _counts.AddOrUpdate(path, 1, (_, count) => count + 1);
        _requests.Enqueue(path + context.Request.QueryString.Value);
        if (Unreachable || Interlocked.Decrement(ref _abortsRemaining) >= 0)
        {
            context.Abort();
            return;
        }

        if (ResponseDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(ResponseDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (TakeFailure() is { } failure)
        {
            await WriteStatusAsync(context, failure.StatusCode, failure.Message);
            return;
        }

        if (IssuedServiceAccount(context) is { } serviceAccount)
        {
            if (await AuthorizeIssuedAsync(context, serviceAccount, path.Trim('/').Split('/')))
            {
                await RouteAsync(context, path);
            }

            return;
        }

        if (!IsAuthenticated(context))
        {
            await WriteStatusAsync(context, 401, "Unauthorized");
            return;
        }

        await RouteAsync(context, path);
    }

    private async Task RouteAsync(HttpContext context, string path)
    {
        var parts = path.Trim('/').Split('/');
        if (HttpMethods.IsPatch(context.Request.Method))
        {
            if (!await RoutePatchAsync(context, path, parts))
            {
                await WriteStatusAsync(context, 405, $"PATCH is not supported on {path}", "MethodNotAllowed");
            }

            return;
        }

        if (await RouteWriteAsync(context, parts))
        {
            return;
        }

        var watch = context.Request.Query["watch"] is [var flag] && flag is "1" or "true";
        switch (parts)
        {
            case ["api", "v1", "namespaces", var ns, "pods", var name]:
                await WriteObjectAsync(context, _pods.TryGetValue($"{ns}/{name}", out var pod) ? pod : null, "pods", name);
                break;
            case ["api", "v1", "nodes", var name]:
                await WriteObjectAsync(context, _nodes.TryGetValue(name, out var node) ? node : null, "nodes", name);
                break;
            case ["apis", "apps", "v1", "namespaces", var ns, "daemonsets", var name]:
                await WriteObjectAsync(context, _daemonSets.TryGetValue($"{ns}/{name}", out var daemonSet) ? daemonSet : null, "daemonsets.apps", name);
                break;
            case ["api", "v1", "nodes"] when watch:
                await _nodeFeed.StreamAsync(context, filter: null);
                break;
            case ["api", "v1", "nodes"]:
                await WriteListAsync(context, "NodeList", _nodes.Values);
                break;
            case ["api", "v1", "pods"]:
                var nodeName = NodeNameSelector(context);
                if (watch)
                {
                    await _podFeed.StreamAsync(context, nodeName);
                }
                else
                {
                    await WriteListAsync(context, "PodList", _pods.Values.Where(p => nodeName is null || PodNodeName(p) == nodeName));
                }

                break;
            default:
                await WriteStatusAsync(context, 404, "the server could not find the requested resource");
                break;
        }
    }

    private bool IsAuthenticated(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is not null)
        {
            LastClientCertificateSubject = certificate.Subject;
            return true;
        }

        if (RequireClientCertificate)
        {
            return false;
        }

        var token = Token;
        return token is null || context.Request.Headers.Authorization.ToString() == "Bearer " + token;
    }

    private (int StatusCode, string Message)? TakeFailure()
    {
        lock (_faultLock)
        {
            if (_failure.Remaining <= 0)
            {
                return null;
            }

            _failure.Remaining--;
            return (_failure.StatusCode, _failure.Message);
        }
    }

    private static string? NodeNameSelector(HttpContext context)
    {
        var selector = context.Request.Query["fieldSelector"].ToString();
        const string Prefix = "spec.nodeName=";
        return selector.StartsWith(Prefix, StringComparison.Ordinal) ? selector[Prefix.Length..] : null;
    }

    internal static string? PodNodeName(string podJson)
    {
        using var document = JsonDocument.Parse(podJson);
        return document.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var name) ? name.GetString() : null;
    }

    private static Task WriteObjectAsync(HttpContext context, string? json, string resource, string name) =>
        json is null
            ? WriteStatusAsync(context, 404, $"{resource} \"{name}\" not found", "NotFound")
            : WriteJsonAsync(context, 200, json);

    private Task WriteListAsync(HttpContext context, string kind, IEnumerable<string> items) =>
        WriteJsonAsync(context, 200, $$"""{"kind":"{{kind}}","apiVersion":"v1","metadata":{"resourceVersion":"{{CurrentResourceVersion}}"},"items":[{{string.Join(",", items)}}]}""");

    /// <summary>Answers with a Kubernetes Status object, as the API server does for every failure.</summary>
    public static Task WriteStatusAsync(HttpContext context, int code, string message, string? reason = null)
    {
        reason ??= code switch
        {
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            415 => "UnsupportedMediaType",
            422 => "Invalid",
            410 => "Expired",
            429 => "TooManyRequests",
            500 => "InternalError",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => "",
        };
        return WriteJsonAsync(context, code, StatusJson(code, message, reason));
    }

    internal static string StatusJson(int code, string message, string reason) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":{{JsonSerializer.Serialize(message, FakeJsonContext.Default.String)}},"reason":"{{reason}}","code":{{code}}}""";

    private static async Task WriteJsonAsync(HttpContext context, int code, string json)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var body = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}

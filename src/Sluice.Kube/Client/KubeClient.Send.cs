using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Sluice.Kube.Config;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// Sends a GET until it succeeds, retrying connection failures, timeouts and 429/500/502/503/504
    /// with doubling backoff, within MaxAttempts and TotalTimeout. Other failures (401, 403,
    /// 404, 409, 422, TLS) are final at once. Returns the successful response and the attempt count.
    /// </summary>
    private Task<(HttpResponseMessage Response, int Attempts)> SendAsync(string path, Operation operation, bool streaming, CancellationToken cancellationToken) =>
        SendAsync(path, operation, body: null, streaming, cancellationToken);

    /// <summary>As the GET above, with <paramref name="body"/> (a PATCH's): the same retries, so only patches that may be applied twice are sent this way (a strategic merge, or a JSON patch guarded by a test).</summary>
    private async Task<(HttpResponseMessage Response, int Attempts)> SendAsync(string path, Operation operation, RequestBody? body, bool streaming, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var backoff = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var remaining = _options.TotalTimeout - clock.Elapsed;
            var attemptTimeout = remaining < _options.RequestTimeout ? remaining : _options.RequestTimeout;
            var (response, failure) = await TryOnceAsync(path, operation, body, streaming, attemptTimeout, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                return (response, attempt);
            }

            var pause = backoff < _options.MaxBackoff ? backoff : _options.MaxBackoff;
            if (!failure!.Retryable || attempt >= _options.MaxAttempts)
            {
                throw failure.ToException(attempt, deadlineReached: null);
            }

            if (clock.Elapsed + pause >= _options.TotalTimeout)
            {
                throw failure.ToException(attempt, _options.TotalTimeout);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            backoff *= 2;
        }
    }

    private async Task<(HttpResponseMessage? Response, AttemptFailure? Failure)> TryOnceAsync(
        string path, Operation operation, RequestBody? body, bool streaming, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : body.Method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body.Bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(body.ContentType);
        }

        string? token;
        ExecCredential? plugin;
        try
        {
            (token, plugin) = _token.ForRequest();
        }
        catch (KubeConfigException e)
        {
            return (null, new AttemptFailure(this, operation, null, null, false, "no credentials: " + e.Message, e));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage? response = null;
        try
        {
            var completion = streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
            response = await _http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (response, null);
            }

            var answer = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);

            // A plugin's credential the server refuses is dropped and the next attempt asks the plugin again, as kubectl does.
            var refreshed = response.StatusCode == HttpStatusCode.Unauthorized && _token.Refused(plugin);
            return (null, StatusFailure(operation, response, answer, retryable: refreshed));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new AttemptFailure(this, operation, null, null, true, $"timed out after {Seconds(_options.RequestTimeout)}", null, timedOut: true));
        }
        catch (HttpRequestException e)
        {
            return (null, ConnectionFailure(operation, e));
        }
        finally
        {
            if (response is { IsSuccessStatusCode: false })
            {
                response.Dispose();
            }
        }
    }

    private AttemptFailure StatusFailure(Operation operation, HttpResponseMessage response, string body, bool retryable)
    {
        var code = (int)response.StatusCode;
        var status = TryReadStatus(body);
        var detail = status?.Message ?? Shorten(body);
        var text = $"{code} {response.ReasonPhrase ?? response.StatusCode.ToString()}" + (string.IsNullOrWhiteSpace(detail) ? "" : ": " + detail);
        retryable |= code is 429 or 500 or 502 or 503 or 504;
        return new AttemptFailure(this, operation, code, status?.Reason ?? response.ReasonPhrase, retryable, text, null);
    }

    private AttemptFailure ConnectionFailure(Operation operation, HttpRequestException e)
    {
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            var why = _tls.LastRejection ?? "the server and client could not agree on TLS (protocol, cipher or certificate)";
            return new AttemptFailure(this, operation, null, null, false, "TLS handshake failed: " + why, e);
        }

        var socket = FindInner<SocketException>(e);
        var text = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the server",
            SocketError.TimedOut => "connecting timed out",
            SocketError.ConnectionReset => "the connection was reset",
            _ => $"connection failed ({e.HttpRequestError})",
        };
        return new AttemptFailure(this, operation, null, null, true, text, e);
    }

    private static Status? TryReadStatus(string body)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status);
            return status is { Kind: "Status" } ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Shorten(string body)
    {
        // A non-Status body (an HTML error page from a proxy…) kept to one short line.
        body = string.Join(' ', body.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return body.Length <= 200 ? body : body[..200] + "…";
    }

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private KubeApiException Failure(Operation operation, int? statusCode, string? reason, int attempts, string text, Exception? inner = null, bool malformed = false) =>
        new(Config.Server, operation.Description, statusCode, reason, attempts, $"{operation.Verb} {operation.Description} from {Config.Server}: {text}", inner, malformed);

    /// <summary>Why one attempt failed and whether another attempt may help.</summary>
    private sealed class AttemptFailure(KubeClient client, Operation operation, int? statusCode, string? reason, bool retryable, string text, Exception? inner, bool timedOut = false)
    {
        public bool Retryable => retryable;

        public KubeApiException ToException(int attempts, TimeSpan? deadlineReached)
        {
            var plural = attempts == 1 ? "attempt" : "attempts";
            var deadline = deadlineReached is { } total ? $", total deadline {Seconds(total)} reached" : "";
            var suffix = statusCode is null || timedOut ? $" ({attempts} {plural}{deadline})" : $" (after {attempts} {plural}{deadline})";
            return client.Failure(operation, statusCode, reason, attempts, text + suffix, inner);
        }
    }
}

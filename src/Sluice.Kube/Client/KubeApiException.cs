namespace Sluice.Kube.Client;

/// <summary>
/// A request to the API server that failed, said in one line a person can act on:
/// "GET pod default/web-1 from https://10.96.0.1:443: 403 Forbidden: pods \"web-1\" is
/// forbidden: … (after 1 attempt)". <see cref="StatusCode"/> is null when no HTTP answer came
/// (timeout, refused connection, TLS failure).
/// </summary>
public sealed class KubeApiException : Exception
{
    internal KubeApiException(string server, string objectDescription, int? statusCode, string? reason, int attempts, string message, Exception? innerException = null, bool isMalformedAnswer = false)
        : base(message, innerException)
    {
        IsMalformedAnswer = isMalformedAnswer;
        Server = server;
        ObjectDescription = objectDescription;
        StatusCode = statusCode;
        Reason = reason;
        Attempts = attempts;
    }

    /// <summary>The API server's base URL.</summary>
    public string Server { get; }

    /// <summary>What was asked for, e.g. "pod default/web-1" or "nodes".</summary>
    public string ObjectDescription { get; }

    /// <summary>The HTTP status code, or null when the server gave none.</summary>
    public int? StatusCode { get; }

    /// <summary>The Kubernetes reason ("NotFound", "Forbidden", "Expired"…) or the HTTP reason phrase.</summary>
    public string? Reason { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>The server answered, but with something that is not what the protocol allows (an undecodable or incomplete watch event): asking the same again gets the same.</summary>
    public bool IsMalformedAnswer { get; }

    /// <summary>The object does not exist (404).</summary>
    public bool IsNotFound => StatusCode == 404;

    /// <summary>A watch's resource version is too old (410): list again, then watch from the new version.</summary>
    public bool IsGone => StatusCode == 410;
}

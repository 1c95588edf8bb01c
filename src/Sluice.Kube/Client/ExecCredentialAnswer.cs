using System.Globalization;
using System.Text.Json;
using Sluice.Kube.Config;
using Sluice.Kube.Errors;

namespace Sluice.Kube.Client;

/// <summary>
/// Reads what an exec plugin printed: an ExecCredential of the configured apiVersion whose status
/// holds a token, or a client certificate and key (PEM), or both, and optionally an
/// expirationTimestamp (RFC 3339). Checked as client-go checks it.
/// </summary>
internal static class ExecCredentialAnswer
{
    /// <exception cref="KubeConfigException">The answer is not such an ExecCredential; the message starts with <paramref name="what"/>.</exception>
    public static ExecCredential Read(string stdout, string apiVersion, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(what, "printed no ExecCredential object");
            }

            if (Text(root, "kind", what) is { } kind && kind != "ExecCredential")
            {
                throw Fail(what, $"printed a {kind}, not an ExecCredential");
            }

            var version = Text(root, "apiVersion", what);
            if (version != apiVersion)
            {
                throw Fail(what, $"answered in apiVersion '{version}', the kubeconfig asks for {apiVersion}");
            }

            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw Fail(what, "returned no status");
            }

            return Credential(status, what);
        }
        catch (JsonException error)
        {
            throw new KubeConfigException($"{what} printed no ExecCredential: {ErrorWords.JsonProblem(error)}", error);
        }
    }

    private static ExecCredential Credential(JsonElement status, string what)
    {
        var token = NullIfEmpty(Text(status, "token", what));
        var certificate = NullIfEmpty(Text(status, "clientCertificateData", what));
        var key = NullIfEmpty(Text(status, "clientKeyData", what));
        if ((certificate is null) != (key is null))
        {
            throw Fail(what, $"returned {(certificate is null ? "clientKeyData without clientCertificateData" : "clientCertificateData without clientKeyData")}");
        }

        if (token is null && certificate is null)
        {
            throw Fail(what, "returned neither a token nor a client certificate and key");
        }

        DateTimeOffset? expires = null;
        if (Text(status, "expirationTimestamp", what) is { Length: > 0 } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw Fail(what, $"returned expirationTimestamp '{stamp}', not an RFC 3339 time");
        }

        return new ExecCredential(token, certificate, key, expires);
    }

    private static string? Text(JsonElement owner, string name, string what) =>
        !owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Fail(what, $"returned {name} that is not a string");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static KubeConfigException Fail(string what, string problem) => new($"{what} {problem}");
}

using System.Globalization;
using Sluice.Json;
using Sluice.Kube.Config;

namespace Sluice.Agent.Status;

/// <summary>The plugins' kubeconfig on disk: its server and when its token expires (if it is a JWT that says so), or what is wrong with it.</summary>
public sealed class KubeconfigStatus
{
    public static JsonShape<KubeconfigStatus> Shape { get; } = new JsonShape<KubeconfigStatus>(() => new KubeconfigStatus(), KeyMatch.Exact)
        .Text("path", k => k.Path, (k, v) => k.Path = v ?? "")
        .Text("server", k => k.Server, (k, v) => k.Server = v)
        .Text("credential", k => k.Credential, (k, v) => k.Credential = v)
        .Text("tokenExpires", k => k.TokenExpires?.ToString("O", CultureInfo.InvariantCulture), (k, v) => k.TokenExpires = DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null)
        .Text("problem", k => k.Problem, (k, v) => k.Problem = v);

    public string Path { get; set; } = "";

    public string? Server { get; set; }

    /// <summary><c>token</c>, <c>client certificate</c> or <c>none</c>.</summary>
    public string? Credential { get; set; }

    public DateTimeOffset? TokenExpires { get; set; }

    public string? Problem { get; set; }

    public static KubeconfigStatus Read(string path, DateTimeOffset now)
    {
        var status = new KubeconfigStatus { Path = path };
        if (!File.Exists(path))
        {
            status.Problem = "missing: the plugins cannot reach the API server";
            return status;
        }

        try
        {
            var config = KubeConfig.Load(path);
            status.Server = config.Server;
            status.Credential = config.Token is not null ? "token" : config.ClientCertificatePem is not null ? "client certificate" : "none";
            status.TokenExpires = config.Token is { } token ? JwtExpiry.Of(token) : null;
            status.Problem = status.TokenExpires < now ? "the token has expired: is the agent rewriting this file?" : null;
        }
        catch (KubeConfigException error)
        {
            status.Problem = error.Message;
        }

        return status;
    }
}

using Sluice.Kube.Errors;
namespace Sluice.Kube.Config;

/// <summary>Picks a context out of a parsed kubeconfig and resolves its cluster and user into a <see cref="KubeConfig"/>.</summary>
internal sealed class KubeConfigResolver(string source, string directory, ConfigNode root)
{
    public KubeConfig Resolve(string? contextName)
    {
        if (root is not ConfigMapping document)
        {
            throw Fail("the document is not a mapping");
        }

        contextName ??= Scalar(document, "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw Fail("current-context is not set and no context was asked for");
        }

        var context = Named(document, "contexts", "context", contextName)
            ?? throw Fail($"context '{contextName}' is not defined");
        var clusterName = Scalar(context, "cluster");
        if (string.IsNullOrEmpty(clusterName))
        {
            throw Fail($"context '{contextName}' has no cluster");
        }

        var cluster = Named(document, "clusters", "cluster", clusterName)
            ?? throw Fail($"context '{contextName}' names cluster '{clusterName}', which is not defined");
        var userName = Scalar(context, "user");
        ConfigMapping? user = null;
        if (!string.IsNullOrEmpty(userName))
        {
            user = Named(document, "users", "user", userName)
                ?? throw Fail($"context '{contextName}' names user '{userName}', which is not defined");
        }

        return Build(clusterName, cluster, userName, user, Scalar(context, "namespace"));
    }

    private KubeConfig Build(string clusterName, ConfigMapping cluster, string? userName, ConfigMapping? user, string? ns)
    {
        var where = $"cluster '{clusterName}'";
        var server = Scalar(cluster, "server");
        if (string.IsNullOrEmpty(server))
        {
            throw Fail($"{where} has no server");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            throw Fail($"{where}: server '{server}' is not an http(s) URL");
        }

        var userWhere = $"user '{userName}'";
        var certificate = user is null ? null : Pem(user, "client-certificate", userWhere);
        var key = user is null ? null : Pem(user, "client-key", userWhere);
        if ((certificate is null) != (key is null))
        {
            throw Fail($"{userWhere} has {(certificate is null ? "client-key but no client-certificate" : "client-certificate but no client-key")}");
        }

        var tokenFile = user is null ? null : Scalar(user, "tokenFile");
        return new KubeConfig
        {
            Server = server.TrimEnd('/'),
            CertificateAuthorityPem = Pem(cluster, "certificate-authority", where),
            InsecureSkipTlsVerify = Bool(cluster, "insecure-skip-tls-verify", where),
            TlsServerName = NullIfEmpty(Scalar(cluster, "tls-server-name")),
            Token = user is null ? null : NullIfEmpty(Scalar(user, "token")),
            TokenFile = string.IsNullOrEmpty(tokenFile) ? null : Path.GetFullPath(tokenFile, directory),
            ClientCertificatePem = certificate,
            ClientKeyPem = key,
            Namespace = string.IsNullOrEmpty(ns) ? "default" : ns,
            Source = source,
        };
    }

    /// <summary>Reads "field-data" (base64) or else "field" (a file path) as PEM bytes.</summary>
    private byte[]? Pem(ConfigMapping owner, string field, string where)
    {
        var data = Scalar(owner, field + "-data");
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Convert.FromBase64String(data);
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{source}: {where}: {field}-data is not valid base64", e);
            }
        }

        var file = Scalar(owner, field);
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        var fullPath = Path.GetFullPath(file, directory);
        try
        {
            return File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{source}: {where}: {field} file {fullPath} cannot be read: {ErrorWords.FileProblem(e)}", e);
        }
    }

    private bool Bool(ConfigMapping owner, string field, string where)
    {
        var text = Scalar(owner, field);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        return bool.TryParse(text, out var value) ? value : throw Fail($"{where}: {field} is '{text}', not true or false");
    }

    /// <summary>Finds the entry called <paramref name="name"/> in a list of {name, <paramref name="inner"/>: {…}}.</summary>
    private ConfigMapping? Named(ConfigMapping document, string list, string inner, string name)
    {
        if (!document.Entries.TryGetValue(list, out var node) || node is ConfigScalar { Value: null })
        {
            return null;
        }

        if (node is not ConfigSequence sequence)
        {
            throw Fail($"{list} is not a list");
        }

        foreach (var item in sequence.Items)
        {
            if (item is ConfigMapping entry && Scalar(entry, "name") == name)
            {
                return entry.Entries.TryGetValue(inner, out var body) switch
                {
                    true when body is ConfigMapping mapping => mapping,
                    true when body is ConfigScalar { Value: null } => new ConfigMapping(body.Line, new Dictionary<string, ConfigNode>()),
                    true => throw Fail($"{list} entry '{name}': {inner} is not a mapping"),
                    false => throw Fail($"{list} entry '{name}' has no {inner}"),
                };
            }
        }

        return null;
    }

    private string? Scalar(ConfigMapping owner, string field)
    {
        if (!owner.Entries.TryGetValue(field, out var node))
        {
            return null;
        }

        return node is ConfigScalar scalar ? scalar.Value : throw Fail($"{field} is not a single value");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private KubeConfigException Fail(string what) => new($"{source}: {what}");
}

using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

/// <summary>
/// Picks a context out of a parsed kubeconfig and resolves its cluster and user into a
/// <see cref="KubeConfig"/>, checking them as kubectl does (client-go's clientcmd validation of
/// the context in use). Every error names the file and the line, e.g. "kubeconfig /root/.kube/config:
/// line 14: context 'x' names user 'y', which is not defined".
/// </summary>
internal sealed partial class KubeConfigResolver(string source, string directory, YamlNode root)
{
    public KubeConfig Resolve(string? contextName)
    {
        var document = root as YamlMappingNode ?? throw Fail(root, "the document is not a mapping");
        YamlNode asked = document;
        if (contextName is null && YamlValues.Find(document, "current-context") is { } current)
        {
            contextName = Text(current, "current-context");
            asked = current;
        }

        if (string.IsNullOrEmpty(contextName))
        {
            throw Fail(asked, "current-context is not set and no context was asked for");
        }

        var context = Named(document, "contexts", "context", contextName) ?? throw Fail(asked, $"context '{contextName}' is not defined");
        var clusterName = Text(context, "cluster");
        if (string.IsNullOrEmpty(clusterName))
        {
            throw Fail(context, $"context '{contextName}' has no cluster");
        }

        var cluster = Named(document, "clusters", "cluster", clusterName)
            ?? throw Fail(YamlValues.Find(context, "cluster")!, $"context '{contextName}' names cluster '{clusterName}', which is not defined");
        var userName = Text(context, "user");
        YamlMappingNode? user = null;
        if (!string.IsNullOrEmpty(userName))
        {
            user = Named(document, "users", "user", userName)
                ?? throw Fail(YamlValues.Find(context, "user")!, $"context '{contextName}' names user '{userName}', which is not defined");
        }

        var server = Server(cluster, $"cluster '{clusterName}'");
        var ns = Text(context, "namespace");
        return User(user, $"user '{userName}'", server, string.IsNullOrEmpty(ns) ? "default" : ns);
    }

    /// <summary>The cluster's part: server, how to trust it, and what an exec plugin is told about it.</summary>
    private ServerSettings Server(YamlMappingNode cluster, string where)
    {
        var server = Text(cluster, "server");
        if (string.IsNullOrEmpty(server))
        {
            throw Fail(cluster, $"{where} has no server");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            throw Fail(YamlValues.Find(cluster, "server")!, $"{where}: server '{server}' is not an http(s) URL");
        }

        Unsupported(cluster, where, "proxy-url", "a proxy to the API server is not supported; reach the server directly");
        var authority = Pem(cluster, "certificate-authority", where);
        var insecure = Bool(cluster, "insecure-skip-tls-verify", where);
        if (insecure && authority is not null)
        {
            // kubectl: "specifying a root certificates file with the insecure flag is not allowed".
            throw Fail(YamlValues.Find(cluster, "insecure-skip-tls-verify")!, $"{where}: insecure-skip-tls-verify and a certificate-authority together; kubectl refuses this too, keep one");
        }

        return new ServerSettings(server.TrimEnd('/'), authority, insecure, NullIfEmpty(Text(cluster, "tls-server-name")), cluster);
    }

    /// <summary>The entry called <paramref name="name"/> in a list of {name, <paramref name="inner"/>: {…}}.</summary>
    private YamlMappingNode? Named(YamlMappingNode document, string list, string inner, string name)
    {
        var node = YamlValues.Find(document, list);
        if (node is null || YamlValues.IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Fail(node, $"{list} is not a list");
        }

        foreach (var item in sequence.Children)
        {
            if (item is YamlMappingNode entry && YamlValues.Find(entry, "name") is { } entryName && Text(entryName, "name") == name)
            {
                return YamlValues.Find(entry, inner) switch
                {
                    YamlMappingNode mapping => mapping,
                    { } body when YamlValues.IsNull(body) => new YamlMappingNode(),
                    { } body => throw Fail(body, $"{list} entry '{name}': {inner} is not a mapping"),
                    null => throw Fail(entry, $"{list} entry '{name}' has no {inner}"),
                };
            }
        }

        return null;
    }

    private string? Text(YamlMappingNode owner, string field) => YamlValues.Find(owner, field) is { } node ? Text(node, field) : null;

    private string? Text(YamlNode node, string field) =>
        node is YamlScalarNode scalar ? YamlValues.Text(scalar) : throw Fail(node, $"{field} is not a single value");

    private bool Bool(YamlMappingNode owner, string field, string where)
    {
        var node = YamlValues.Find(owner, field);
        if (node is null || YamlValues.IsNull(node))
        {
            return false;
        }

        return node is YamlScalarNode scalar && YamlValues.Boolean(scalar) is { } value
            ? value
            : throw Fail(node, $"{where}: {field} is '{(node as YamlScalarNode)?.Value}', not true or false (unquoted)");
    }

    private void Unsupported(YamlMappingNode owner, string where, string field, string why)
    {
        if (YamlValues.Find(owner, field) is { } node && !YamlValues.IsNull(node))
        {
            throw Fail(node, $"{where}: {field}: {why}");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private KubeConfigException Fail(YamlNode at, string what) => new($"{source}: line {YamlValues.Line(at)}: {what}");

    /// <summary>What the cluster entry resolved to, before the user's credentials are added.</summary>
    private sealed record ServerSettings(string Url, byte[]? Authority, bool Insecure, string? TlsServerName, YamlMappingNode Node);
}

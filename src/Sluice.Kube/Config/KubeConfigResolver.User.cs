using Sluice.Kube.Errors;
using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

internal sealed partial class KubeConfigResolver
{
    /// <summary>
    /// The user's credentials: a token or token file, a client certificate (file or inline data), or
    /// an exec plugin, which kubectl uses only when the user has none of the others.
    /// </summary>
    private KubeConfig User(YamlMappingNode? user, string where, ServerSettings server, string ns)
    {
        byte[]? certificate = null, key = null;
        string? token = null, tokenFile = null;
        ExecCredentialSettings? exec = null;
        if (user is not null)
        {
            Unsupported(user, where, "auth-provider", "auth-provider plugins are gone from kubectl (1.26); use an exec credential plugin");
            Unsupported(user, where, "username", "basic authentication is gone from Kubernetes (1.19)");
            Unsupported(user, where, "password", "basic authentication is gone from Kubernetes (1.19)");
            certificate = Pem(user, "client-certificate", where);
            key = Pem(user, "client-key", where);
            if ((certificate is null) != (key is null))
            {
                throw Fail(user, $"{where} has {(certificate is null ? "client-key but no client-certificate" : "client-certificate but no client-key")}");
            }

            token = NullIfEmpty(Text(user, "token"));
            var file = Text(user, "tokenFile");
            tokenFile = string.IsNullOrEmpty(file) ? null : Path.GetFullPath(file, directory);
            if (YamlValues.Find(user, "exec") is { } plugin && !YamlValues.IsNull(plugin))
            {
                var settings = Exec(plugin, where, server);
                exec = token is null && tokenFile is null && certificate is null ? settings : null;
            }
        }

        return new KubeConfig
        {
            Server = server.Url,
            CertificateAuthorityPem = server.Authority,
            InsecureSkipTlsVerify = server.Insecure,
            TlsServerName = server.TlsServerName,
            Token = token,
            TokenFile = tokenFile,
            ClientCertificatePem = certificate,
            ClientKeyPem = key,
            Exec = exec,
            Namespace = ns,
            Source = source,
        };
    }

    /// <summary>Reads "field-data" (base64) or "field" (a file, relative to the kubeconfig) as PEM bytes; both at once is an error, as in kubectl.</summary>
    private byte[]? Pem(YamlMappingNode owner, string field, string where)
    {
        var dataNode = YamlValues.Find(owner, field + "-data");
        var data = dataNode is null ? null : Text(dataNode, field + "-data");
        var file = Text(owner, field);
        if (!string.IsNullOrEmpty(data) && !string.IsNullOrEmpty(file))
        {
            throw Fail(dataNode!, $"{where}: both {field} and {field}-data are set; keep one");
        }

        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Convert.FromBase64String(data);
            }
            catch (FormatException e)
            {
                throw new KubeConfigException($"{source}: line {YamlValues.Line(dataNode!)}: {where}: {field}-data is not valid base64", e);
            }
        }

        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        var fullPath = Path.GetFullPath(file, directory);
        try
        {
            return KubeFile.ReadBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{source}: line {YamlValues.Line(YamlValues.Find(owner, field)!)}: {where}: {field} file {fullPath} cannot be read: {ErrorWords.FileProblem(e)}", e);
        }
    }
}

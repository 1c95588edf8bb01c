using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

internal sealed partial class KubeConfigResolver
{
    public const string ExecV1 = "client.authentication.k8s.io/v1";
    public const string ExecV1Beta1 = "client.authentication.k8s.io/v1beta1";

    /// <summary>
    /// A user's exec block, checked as client-go checks it: command and apiVersion set, env entries
    /// named, interactiveMode set for v1 (v1beta1 defaults to IfAvailable). A command with a slash
    /// is a path relative to the kubeconfig's directory; a bare name is looked up when it runs.
    /// </summary>
    private ExecCredentialSettings Exec(YamlNode node, string where, ServerSettings server)
    {
        where += ": exec";
        var exec = node as YamlMappingNode ?? throw Fail(node, $"{where} is not a mapping");
        var command = Text(exec, "command");
        if (string.IsNullOrEmpty(command))
        {
            throw Fail(exec, $"{where}: command must be set");
        }

        var apiVersion = Text(exec, "apiVersion");
        if (apiVersion is not (ExecV1 or ExecV1Beta1))
        {
            throw Fail(YamlValues.Find(exec, "apiVersion") ?? exec, string.IsNullOrEmpty(apiVersion)
                ? $"{where}: apiVersion must be set ({ExecV1} or {ExecV1Beta1})"
                : $"{where}: apiVersion '{apiVersion}' is not supported ({ExecV1} or {ExecV1Beta1})");
        }

        return new ExecCredentialSettings
        {
            Command = command.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(command, directory) : command,
            ApiVersion = apiVersion,
            Arguments = Strings(exec, "args", where),
            Environment = Variables(exec, where),
            InteractiveMode = InteractiveMode(exec, where, apiVersion),
            InstallHint = NullIfEmpty(Text(exec, "installHint")?.Trim()),
            ClusterJson = Bool(exec, "provideClusterInfo", where) ? ExecClusterInfo.Json(server.Url, server.Authority, server.Insecure, server.TlsServerName, server.Node, source) : null,
        };
    }

    private string InteractiveMode(YamlMappingNode exec, string where, string apiVersion)
    {
        var node = YamlValues.Find(exec, "interactiveMode");
        var mode = node is null ? null : Text(node, "interactiveMode");
        switch (mode)
        {
            case null or "" when apiVersion == ExecV1Beta1:
                return "IfAvailable";
            case null or "":
                throw Fail(exec, $"{where}: interactiveMode must be set for {ExecV1} (Never or IfAvailable)");
            case "Never" or "IfAvailable":
                return mode;
            case "Always":
                throw Fail(node!, $"{where}: interactiveMode Always needs a terminal, and Sluice runs credential plugins without one (Never or IfAvailable)");
            default:
                throw Fail(node!, $"{where}: interactiveMode '{mode}' is not Never, IfAvailable or Always");
        }
    }

    private List<string> Strings(YamlMappingNode owner, string field, string where) => YamlValues.Find(owner, field) switch
    {
        null => [],
        var node when YamlValues.IsNull(node) => [],
        YamlSequenceNode list => list.Children.Select(item => Text(item, $"{field} entry") ?? "").ToList(),
        var node => throw Fail(node, $"{where}: {field} is not a list"),
    };

    private List<KeyValuePair<string, string>> Variables(YamlMappingNode exec, string where)
    {
        var node = YamlValues.Find(exec, "env");
        if (node is null || YamlValues.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw Fail(node, $"{where}: env is not a list of {{name, value}}");
        }

        var variables = new List<KeyValuePair<string, string>>();
        foreach (var item in list.Children)
        {
            var entry = item as YamlMappingNode ?? throw Fail(item, $"{where}: env entry is not a {{name, value}} mapping");
            var name = Text(entry, "name");
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal))
            {
                throw Fail(entry, $"{where}: env entry needs a name (without '=')");
            }

            variables.Add(new(name, Text(entry, "value") ?? ""));
        }

        return variables;
    }
}

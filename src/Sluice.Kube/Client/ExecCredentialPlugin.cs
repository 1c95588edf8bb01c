using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Sluice.Kube.Config;
using Sluice.Linux.Processes;

namespace Sluice.Kube.Client;

/// <summary>
/// Runs a kubeconfig's exec credential plugin once, as kubectl does (client-go's exec
/// authenticator): the program with its arguments, this process's environment plus the
/// configured variables and KUBERNETES_EXEC_INFO (an ExecCredential with spec.interactive false,
/// and spec.cluster with provideClusterInfo), no standard input; its answer is an ExecCredential
/// of the same apiVersion on standard output. Bounded: the plugin is killed after
/// <see cref="Deadline"/> or past <see cref="MaxOutputChars"/> characters of output.
/// </summary>
internal static class ExecCredentialPlugin
{
    /// <summary>Where a command given as a bare name is looked up: the one fixed search path of the project.</summary>
    public static IReadOnlyList<string> SearchPath => ProgramPath.SearchPath;

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public const int MaxOutputChars = 1 << 20;

    /// <exception cref="KubeConfigException">The plugin is missing, fails, hangs or answers something unusable; the message says which.</exception>
    public static ExecCredential Run(ExecCredentialSettings settings, string where)
    {
        var program = Find(settings, where);
        var environment = settings.Environment.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        environment["KUBERNETES_EXEC_INFO"] = ExecInfo(settings);
        ChildOutput? output;
        try
        {
            output = ChildProcess.Run(new ChildRequest(program, settings.Arguments) { Environment = environment, Limit = Deadline, MaxOutput = MaxOutputChars });
        }
        catch (Win32Exception error)
        {
            throw new KubeConfigException($"{where}: cannot run {program}: {error.Message}", error);
        }

        if (output is null)
        {
            throw new KubeConfigException($"{where}: {program} gave no credential within {Deadline.TotalSeconds:F0} s and was stopped");
        }

        if (output.OutputCut)
        {
            throw new KubeConfigException($"{where}: {program} printed more than {MaxOutputChars} bytes and was stopped");
        }

        if (output.ExitCode != 0)
        {
            var why = LastLine(output.Stderr);
            throw new KubeConfigException($"{where}: {program} failed with exit code {output.ExitCode}{(why.Length > 0 ? ": " + why : "")}");
        }

        return ExecCredentialAnswer.Read(output.Stdout, settings.ApiVersion, $"{where}: {program}");
    }

    /// <summary>The program's absolute path: as configured, or the first executable of that name on <see cref="SearchPath"/>.</summary>
    private static string Find(ExecCredentialSettings settings, string where)
    {
        var hint = settings.InstallHint is { } text ? " " + string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : "";
        if (Path.IsPathRooted(settings.Command))
        {
            return File.Exists(settings.Command) ? settings.Command : throw new KubeConfigException($"{where}: {settings.Command} does not exist.{hint}");
        }

        if (!settings.Command.Contains('/', StringComparison.Ordinal) && ProgramPath.Find(settings.Command) is { } found)
        {
            return found;
        }

        throw new KubeConfigException($"{where}: '{settings.Command}' is not in {string.Join(':', SearchPath)} (give an absolute path to look elsewhere).{hint}");
    }

    /// <summary>KUBERNETES_EXEC_INFO: {"apiVersion", "kind": "ExecCredential", "spec": {"interactive": false, "cluster"?}}.</summary>
    private static string ExecInfo(ExecCredentialSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "ExecCredential");
            json.WriteString("apiVersion", settings.ApiVersion);
            json.WriteStartObject("spec");
            if (settings.ClusterJson is { } cluster)
            {
                json.WritePropertyName("cluster");
                json.WriteRawValue(cluster);
            }

            json.WriteBoolean("interactive", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.Length == 0 ? "" : lines[^1];
        return last.Length <= 300 ? last : last[..300] + "…";
    }
}

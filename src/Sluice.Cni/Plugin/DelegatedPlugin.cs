using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Sluice.Cni.Json;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;
using Sluice.Json;
using Sluice.Linux.Processes;

namespace Sluice.Cni.Plugin;

/// <summary>
/// Another plugin executed on our behalf (spec §"Delegated plugins"): found in <c>CNI_PATH</c>,
/// given the same environment with its own <c>CNI_COMMAND</c> and the full configuration on
/// stdin; its stderr goes straight to ours and its error object is propagated as is. A delegate
/// that does not finish within <see cref="Limit"/> is killed, and the call fails with error 11
/// (try again later) instead of hanging the runtime's sandbox set-up.
/// </summary>
public sealed class DelegatedPlugin(string type, CniEnvironment env, ReadOnlyMemory<byte> config, CniLog log)
{
    /// <summary>Far beyond any IPAM call (host-local takes milliseconds; dhcp waits up to about a minute for a lease).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Far above any result or error object a plugin prints.</summary>
    private const int MaxOutput = 16 * 1024 * 1024;

    public string Type => type;

    public CniResult Add()
    {
        var stdout = Execute(CniCommand.Add);
        var result = CniResult.Read(stdout, $"the result of delegated plugin {type}");
        ResultValidation.Validate(result, $"{type} result");
        return result;
    }

    public void Del() => Execute(CniCommand.Del);

    public void Check() => Execute(CniCommand.Check);

    public void Status() => Execute(CniCommand.Status);

    public void Gc() => Execute(CniCommand.Gc);

    /// <summary>The executable for <paramref name="pluginType"/> in the first <c>CNI_PATH</c> directory that has it.</summary>
    public static string Find(string pluginType, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!CniNames.IsValidIdentifier(pluginType))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"plugin type '{pluginType}' is not a plugin name");
        }

        if (path.Count == 0)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_PATH is empty, so the delegated plugin '{pluginType}' cannot be found");
        }

        foreach (var directory in path.Where(Path.IsPathFullyQualified))
        {
            var candidate = Path.Combine(directory, pluginType);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CniException(
            CniErrorCode.InvalidEnvironmentVariables,
            $"delegated plugin '{pluginType}' not found in CNI_PATH ({string.Join(':', path)})" +
            (path.All(Path.IsPathFullyQualified) ? "" : "; relative directories in it are never searched"));
    }

    private byte[] Execute(CniCommand command)
    {
        var executable = Find(type, env.Path);
        var commandName = CniEnvironment.CommandName(command);
        log.Debug($"delegating {commandName} to {executable}");
        var watch = Stopwatch.StartNew();
        ChildOutput? output;
        try
        {
            output = ChildProcess.Run(new ChildRequest(executable, [])
            {
                Input = config,
                Environment = Environment(commandName)!,
                ForwardStderr = true,
                Limit = Limit,
                MaxOutput = MaxOutput,
            });
        }
        catch (Win32Exception error)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot execute delegated plugin {executable}: {error.Message}");
        }
        if (output is null)
        {
            throw new CniException(
                CniErrorCode.TryAgainLater,
                $"delegated plugin {type} did not finish {commandName} within {Limit.TotalSeconds:F0} s and was stopped");
        }

        if (output.OutputCut)
        {
            throw new CniException(CniErrorCode.IoFailure, $"delegated plugin {type} printed more than {MaxOutput / (1024 * 1024)} MiB for {commandName} and was stopped");
        }

        log.Debug($"delegated {commandName} to {type} exited {output.ExitCode} after {watch.Elapsed.TotalMilliseconds:F1} ms");
        return output.ExitCode == 0 ? output.StdoutBytes : throw ErrorFrom(output.StdoutBytes, output.ExitCode, commandName);
    }

    private Dictionary<string, string> Environment(string commandName) => new(StringComparer.Ordinal)
    {
        [CniEnvironment.CommandVariable] = commandName,
        [CniEnvironment.ContainerIdVariable] = env.ContainerId,
        [CniEnvironment.NetNsVariable] = env.NetNs,
        [CniEnvironment.IfNameVariable] = env.IfName,
        [CniEnvironment.ArgsVariable] = env.Args.ToString(),
        [CniEnvironment.PathVariable] = string.Join(':', env.Path),
    };

    private CniException ErrorFrom(byte[] stdout, int exitCode, string commandName)
    {
        try
        {
            if (JsonText.Read(stdout, CniErrorObject.Shape) is { Code: > 0 } error)
            {
                return new CniException(error.Code, $"{type}: {error.Msg}", error.Details);
            }
        }
        catch (Exception problem) when (problem is JsonException or JsonFieldException or InvalidOperationException)
        {
            // Not an error object: described below.
        }

        var text = Encoding.UTF8.GetString(stdout).Trim();
        if (text.Length > 300)
        {
            text = text[..300] + "…";
        }

        return new CniException(
            CniErrorCode.Internal,
            $"delegated plugin {type} failed {commandName} with exit code {exitCode} and no CNI error object" +
            (text.Length > 0 ? $": {text}" : ""));
    }
}

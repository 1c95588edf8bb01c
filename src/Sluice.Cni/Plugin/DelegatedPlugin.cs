using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Sluice.Cni.Json;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;

namespace Sluice.Cni.Plugin;

/// <summary>
/// Another plugin executed on our behalf (spec §"Delegated plugins"): found in <c>CNI_PATH</c>,
/// given the same environment with its own <c>CNI_COMMAND</c> and the full configuration on
/// stdin; its stderr goes straight to ours and its error object is propagated as is.
/// </summary>
public sealed class DelegatedPlugin(string type, CniEnvironment env, ReadOnlyMemory<byte> config, CniLog log)
{
    public string Type => type;

    public CniResult Add()
    {
        var stdout = Execute(CniCommand.Add);
        var result = JsonDecoding.Decode(stdout, CniJsonContext.Default.CniResult, $"the result of delegated plugin {type}");
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
        if (string.IsNullOrEmpty(pluginType) || pluginType.Contains('/', StringComparison.Ordinal) || pluginType is "." or "..")
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"plugin type '{pluginType}' is not a plugin name");
        }

        if (path.Count == 0)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_PATH is empty, so the delegated plugin '{pluginType}' cannot be found");
        }

        foreach (var directory in path)
        {
            var candidate = Path.Combine(directory, pluginType);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CniException(
            CniErrorCode.InvalidEnvironmentVariables,
            $"delegated plugin '{pluginType}' not found in CNI_PATH ({string.Join(':', path)})");
    }

    private byte[] Execute(CniCommand command)
    {
        var executable = Find(type, env.Path);
        var commandName = CniEnvironment.CommandName(command);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        start.Environment[CniEnvironment.CommandVariable] = commandName;
        start.Environment[CniEnvironment.ContainerIdVariable] = env.ContainerId;
        start.Environment[CniEnvironment.NetNsVariable] = env.NetNs;
        start.Environment[CniEnvironment.IfNameVariable] = env.IfName;
        start.Environment[CniEnvironment.ArgsVariable] = env.Args.ToString();
        start.Environment[CniEnvironment.PathVariable] = string.Join(':', env.Path);

        log.Debug($"delegating {commandName} to {executable}");
        var watch = Stopwatch.StartNew();
        byte[] stdout;
        int exitCode;
        try
        {
            using var process = Process.Start(start)
                ?? throw new CniException(CniErrorCode.Internal, $"could not start delegated plugin {executable}");
            WriteInput(process, config.Span);

            using var buffer = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(buffer);
            process.WaitForExit();
            stdout = buffer.ToArray();
            exitCode = process.ExitCode;
        }
        catch (Win32Exception error)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot execute delegated plugin {executable}: {error.Message}");
        }

        log.Debug($"delegated {commandName} to {type} exited {exitCode} after {watch.Elapsed.TotalMilliseconds:F1} ms");
        return exitCode == 0 ? stdout : throw ErrorFrom(stdout, exitCode, commandName);
    }

    /// <summary>Gives the delegate its configuration; one that exits without reading it (EPIPE) is judged by its output.</summary>
    private static void WriteInput(Process process, ReadOnlySpan<byte> input)
    {
        try
        {
            using var stdin = process.StandardInput.BaseStream;
            stdin.Write(input);
        }
        catch (IOException)
        {
        }
    }

    private CniException ErrorFrom(byte[] stdout, int exitCode, string commandName)
    {
        try
        {
            var error = JsonSerializer.Deserialize(stdout, CniJsonContext.Default.CniErrorObject);
            if (error is { Code: > 0 })
            {
                return new CniException(error.Code, $"{type}: {error.Msg}", error.Details);
            }
        }
        catch (JsonException)
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

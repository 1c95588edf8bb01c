using System.Diagnostics;
using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;

namespace Sluice.Cni.Plugin;

/// <summary>
/// Runs one plugin invocation: validates the environment and configuration for the command,
/// calls the plugin's function, prints the result in the requested version, and turns every
/// failure into a CNI error object on stdout with a non-zero exit code.
/// </summary>
public static class CniDispatcher
{
    public const int SuccessExitCode = 0;
    public const int ErrorExitCode = 1;

    /// <summary>The most a plugin reads from stdin: far above any real configuration (with its prevResult), far below what could exhaust a node's memory.</summary>
    public const int MaxInput = 16 * 1024 * 1024;

    public static int Run<TConfig, TSettings>(CniPlugin<TConfig, TSettings> plugin, CniIo io)
        where TConfig : PluginConfig
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(io);
        using var log = new CniLog(plugin.Name, io.Stderr);
        var errorVersion = CniVersions.Latest;
        var command = "";
        try
        {
            command = io.GetEnv(CniEnvironment.CommandVariable) ?? "";
            var stdin = ReadAll(io.Stdin);
            errorVersion = ProbeVersion(stdin) is { } probed && CniVersions.IsSupported(probed) ? probed : errorVersion;
            var env = CniEnvironment.Parse(io.GetEnv);
            log.Command = CniEnvironment.CommandName(env.Command);
            log.ContainerId = env.ContainerId;
            if (env.Command == CniCommand.Version)
            {
                VersionAnswer.Write(io.Stdout, errorVersion);
                return SuccessExitCode;
            }

            var request = BuildRequest(plugin, env, stdin, log);
            log.Pod = PodName(env.Args);
            return Invoke(plugin, request, io);
        }
        catch (CniException error)
        {
            return Fail(io, log, errorVersion, error);
        }
        catch (Exception error) when (plugin.TranslateException?.Invoke(error) is { } translated)
        {
            log.Debug($"{error.GetType().FullName}: {error.Message}{Environment.NewLine}{error.StackTrace}");
            return Fail(io, log, errorVersion, translated);
        }
        catch (Exception error)
        {
            // A stack trace is for bugs (error 999); an I/O failure or a timeout is the node's
            // state, and its message says all (the trace stays available at debug level).
            var translated = Translate(error, plugin.Name, command);
            var trace = $"{error.GetType().FullName}: {error.Message}{Environment.NewLine}{error.StackTrace}";
            if (translated.Code == CniErrorCode.Internal)
            {
                log.Error(trace);
            }
            else
            {
                log.Debug(trace);
            }

            return Fail(io, log, errorVersion, translated);
        }
    }

    private static int Invoke<TConfig, TSettings>(CniPlugin<TConfig, TSettings> plugin, CniRequest<TSettings> request, CniIo io)
        where TConfig : PluginConfig
    {
        var started = Stopwatch.GetTimestamp();
        switch (request.Env.Command)
        {
            case CniCommand.Add:
                var result = plugin.Add(request);
                var output = new System.Buffers.ArrayBufferWriter<byte>(1024);
                ResultConversion.ToVersion(result, request.CniVersion).WriteTo(output);
                System.Buffers.BuffersExtensions.Write(output, "\n"u8);
                io.Stdout.Write(output.WrittenSpan);
                io.Stdout.Flush();
                break;
            case CniCommand.Del:
                plugin.Del(request);
                break;
            case CniCommand.Check:
                plugin.Check(request);
                break;
            case CniCommand.Status:
                plugin.Status(request);
                break;
            case CniCommand.Gc:
                plugin.Gc(request);
                break;
        }

        request.Log.Info($"done in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        request.Log.EndCall("ok");
        return SuccessExitCode;
    }

    private static CniRequest<TSettings> BuildRequest<TConfig, TSettings>(CniPlugin<TConfig, TSettings> plugin, CniEnvironment env, byte[] stdin, CniLog log)
        where TConfig : PluginConfig
    {
        var config = CniJson.Read(stdin, plugin.Config, "network configuration");
        var version = RequireVersion(config, env.Command, plugin.Name);
        RequireTypeAndName(config, env.Command);
        if (env.Command == CniCommand.Gc)
        {
            Attachment.RequireValid(config.GcValidAttachments, config.GcValidAttachmentsKey);
        }

        ConfigureLog(config, log);
        env.Args.RequireKnownKeys(plugin.KnownArgs);
        var settings = plugin.Settings(config, env);
        return new CniRequest<TSettings>
        {
            Env = env,
            Settings = settings,
            Config = config,
            RawConfig = stdin,
            CniVersion = version,
            PrevResult = ParsePrevResult(config),
            Log = log,
        };
    }

    private static string RequireVersion(NetworkConfig config, CniCommand command, string pluginName)
    {
        var version = config.CniVersion ?? CniVersions.Implicit;
        if (!CniVersions.IsSupported(version))
        {
            var which = config.CniVersion is null ? $"has no cniVersion (taken as {version})" : $"has cniVersion '{version}'";
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                $"network configuration {which}, which {pluginName} does not support; supported versions: {string.Join(", ", CniVersions.Supported)}");
        }

        var minimum = command switch
        {
            CniCommand.Check => CniVersions.V0_4_0,
            CniCommand.Status or CniCommand.Gc => CniVersions.V1_1_0,
            _ => null,
        };
        if (minimum is not null && !CniVersions.AtLeast(version, minimum))
        {
            throw new CniException(
                CniErrorCode.IncompatibleCniVersion,
                $"{CniEnvironment.CommandName(command)} needs cniVersion {minimum} or later; the configuration has {version}");
        }

        return version;
    }

    private static void RequireTypeAndName(NetworkConfig config, CniCommand command)
    {
        if (string.IsNullOrEmpty(config.Type))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "network configuration field 'type' is missing");
        }

        if (config.Name is null && command != CniCommand.Status)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "network configuration field 'name' is missing");
        }

        if (config.Name is not null && !CniNames.IsValidIdentifier(config.Name))
        {
            throw new CniException(
                CniErrorCode.InvalidNetworkConfig,
                $"network configuration field 'name' '{config.Name}' is invalid: it must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
        }
    }

    private static void ConfigureLog(PluginConfig options, CniLog log)
    {
        if (!string.IsNullOrEmpty(options.LogFile) && !Path.IsPathFullyQualified(options.LogFile))
        {
            throw new CniException(
                CniErrorCode.InvalidNetworkConfig,
                $"network configuration field 'logFile' '{options.LogFile}' is not an absolute path");
        }

        if (options.LogLevel is not null)
        {
            log.Level = LogLevels.TryParse(options.LogLevel, out var level)
                ? level
                : throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"network configuration field 'logLevel' '{options.LogLevel}' is not one of debug, info, warn, error");
        }

        if ((options.LogSocket ?? CniLog.DefaultAgentSocket) is { Length: > 0 } socket)
        {
            if (!socket.StartsWith('/') || !Sluice.Linux.Sockets.UnixSocketAddress.Fits(socket))
            {
                throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"network configuration field 'logSocket' '{socket}' is not an absolute path of at most 107 bytes (\"\" turns forwarding to sluice-agent off)");
            }

            log.ForwardTo(socket, options.LogFile);
        }
        else if (!string.IsNullOrEmpty(options.LogFile))
        {
            log.AddFile(options.LogFile);
        }
    }

    private static CniResult? ParsePrevResult(NetworkConfig config)
    {
        if (config.PrevResultJson is not { } json)
        {
            return null;
        }

        var result = CniResult.Read(json, "prevResult");
        ResultValidation.Validate(result, "prevResult");
        return result;
    }

    private static string? PodName(CniArgs args) =>
        args.Get(CniArgs.PodName) is { } name
            ? args.Get(CniArgs.PodNamespace) is { } ns ? $"{ns}/{name}" : name
            : null;

    private static CniException Translate(Exception error, string pluginName, string command) => error switch
    {
        JsonException json => CniJson.Describe(json, "JSON input"),
        IOException or UnauthorizedAccessException => new CniException(
            CniErrorCode.IoFailure, $"{pluginName} {command}: {error.Message}", inner: error),
        TimeoutException => new CniException(
            CniErrorCode.TryAgainLater, $"{pluginName} {command}: {error.Message}", inner: error),
        _ => new CniException(
            CniErrorCode.Internal,
            $"{pluginName} {command} failed unexpectedly: {error.GetType().Name}: {error.Message} " +
            "(this is a bug in the plugin; its log has the stack trace)",
            inner: error),
    };

    private static int Fail(CniIo io, CniLog log, string version, CniException error)
    {
        log.Error($"error {error.Code}: {error.Message}{(error.Details is null ? "" : $" ({error.Details})")}");
        log.EndCall($"error {error.Code}: {error.Message}");
        try
        {
            new CniErrorObject { CniVersion = version, Code = error.Code, Msg = error.Message, Details = error.Details }.WriteTo(io.Stdout);
            io.Stdout.WriteByte((byte)'\n');
            io.Stdout.Flush();
        }
        catch (IOException)
        {
            // stdout is gone: the exit code still says we failed.
        }

        return ErrorExitCode;
    }

    /// <summary>The input's top-level <c>cniVersion</c>, read with a bare reader (VERSION must start fast), or null.</summary>
    private static string? ProbeVersion(byte[] stdin)
    {
        try
        {
            var reader = new Utf8JsonReader(stdin);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("cniVersion"u8);
                reader.Read();
                if (isVersion)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not UTF-8: no version to echo (the command's own parse reports it).
        }

        return null;
    }

    /// <summary>
    /// All of stdin, at most <see cref="MaxInput"/> bytes. Read in place (Stream.CopyTo would rent a
    /// 128 KiB buffer: 32 pages touched and cleared at every start, for a configuration of a few
    /// hundred bytes).
    /// </summary>
    private static byte[] ReadAll(Stream stream)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(4096);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= MaxInput && stream.Read(new byte[1]) == 0)
                {
                    return buffer;
                }

                if (length >= MaxInput)
                {
                    throw new CniException(
                        CniErrorCode.DecodingFailure,
                        $"standard input is larger than {MaxInput / (1024 * 1024)} MiB, far beyond any network configuration; refusing to read it");
                }

                var larger = GC.AllocateUninitializedArray<byte>(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                buffer = larger;
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return buffer.AsSpan(0, length).ToArray();
            }

            length += read;
        }
    }
}

using Sluice.Cni.Config;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;

namespace Sluice.Cni.Plugin;

/// <summary>One validated invocation: environment, the plugin's settings, the spec's part of the configuration, and the raw bytes for delegates.</summary>
public sealed class CniRequest<TSettings>
{
    public required CniEnvironment Env { get; init; }

    /// <summary>The plugin's settings, computed once from its configuration before the command ran.</summary>
    public required TSettings Settings { get; init; }

    /// <summary>The configuration's spec-defined part (name, dns, runtimeConfig, args, GC attachments, the IPAM section).</summary>
    public required NetworkConfig Config { get; init; }

    /// <summary>The configuration exactly as received, passed unchanged to delegated plugins.</summary>
    public required ReadOnlyMemory<byte> RawConfig { get; init; }

    /// <summary>The configuration's <c>cniVersion</c>: results are printed in this version.</summary>
    public required string CniVersion { get; init; }

    /// <summary>The previous plugin's result, validated; null for the first plugin or a DEL without one.</summary>
    public CniResult? PrevResult { get; init; }

    public required CniLog Log { get; init; }

    /// <summary>The network name (required for every command but VERSION and STATUS).</summary>
    public string NetworkName => Config.Name ?? "";

    /// <summary>
    /// The same invocation for another plugin's code run in this process (sluice-bridge's hostPort
    /// step): its <paramref name="settings"/>, and <paramref name="prevResult"/> as the result before it.
    /// </summary>
    public CniRequest<TOther> With<TOther>(TOther settings, CniResult? prevResult) => new()
    {
        Env = Env,
        Settings = settings,
        Config = Config,
        RawConfig = RawConfig,
        CniVersion = CniVersion,
        PrevResult = prevResult,
        Log = Log,
    };

    /// <summary>A delegated plugin of the given type, run with this request's environment and configuration.</summary>
    public DelegatedPlugin Delegate(string type) => new(type, Env, RawConfig, Log);
}

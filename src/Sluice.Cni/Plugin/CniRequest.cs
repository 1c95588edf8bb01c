using Sluice.Cni.Config;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;

namespace Sluice.Cni.Plugin;

/// <summary>One validated invocation: environment, decoded configuration, and the raw bytes for delegates.</summary>
public sealed class CniRequest<TConfig>
    where TConfig : NetworkConfig
{
    public required CniEnvironment Env { get; init; }

    public required TConfig Config { get; init; }

    /// <summary>The configuration exactly as received, passed unchanged to delegated plugins.</summary>
    public required ReadOnlyMemory<byte> RawConfig { get; init; }

    /// <summary>The configuration's <c>cniVersion</c>: results are printed in this version.</summary>
    public required string CniVersion { get; init; }

    /// <summary>The previous plugin's result, validated; null for the first plugin or a DEL without one.</summary>
    public CniResult? PrevResult { get; init; }

    public required CniLog Log { get; init; }

    /// <summary>The network name (required for every command but VERSION and STATUS).</summary>
    public string NetworkName => Config.Name ?? "";

    /// <summary>A delegated plugin of the given type, run with this request's environment and configuration.</summary>
    public DelegatedPlugin Delegate(string type) => new(type, Env, RawConfig, Log);
}

using System.Text.Json.Serialization.Metadata;
using Sluice.Cni.Config;
using Sluice.Cni.Results;

namespace Sluice.Cni.Plugin;

/// <summary>What a plugin's <c>Main</c> hands to <see cref="CniDispatcher"/>: its name, its configuration type and one function per command.</summary>
public sealed class CniPlugin<TConfig>
    where TConfig : NetworkConfig
{
    /// <summary>The executable's name, used in logs and error messages (e.g. <c>sluice-bridge</c>).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The source-generated JSON metadata of the configuration type, fetched only when a
    /// configuration is decoded: creating it costs about a millisecond that VERSION need not pay.
    /// </summary>
    public required Func<JsonTypeInfo<TConfig>> ConfigType { get; init; }

    /// <summary>
    /// A hand-written reader of the configuration (usually <see cref="NetworkConfigReader"/> with the
    /// plugin's own keys), used instead of <see cref="ConfigType"/> when set: it decodes the same
    /// configuration without creating the serializer's metadata, which costs several milliseconds
    /// per call. The serializer stays the reference the reader is tested against.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, string, TConfig>? ReadConfig { get; init; }

    /// <summary>The <c>CNI_ARGS</c> keys the plugin understands; others are rejected unless IgnoreUnknown is set.</summary>
    public IReadOnlyCollection<string> KnownArgs { get; init; } = CniArgs.KubernetesKeys;

    /// <summary>Checks the plugin's own configuration fields before any command runs; throws a CNI error naming the field.</summary>
    public Action<TConfig>? ValidateConfig { get; init; }

    /// <summary>Turns the plugin's own exception types into CNI errors with a fitting code; null leaves an exception to the generic mapping.</summary>
    public Func<Exception, CniException?>? TranslateException { get; init; }

    public required Func<CniRequest<TConfig>, CniResult> Add { get; init; }

    public required Action<CniRequest<TConfig>> Del { get; init; }

    public required Action<CniRequest<TConfig>> Check { get; init; }

    public required Action<CniRequest<TConfig>> Status { get; init; }

    public required Action<CniRequest<TConfig>> Gc { get; init; }
}

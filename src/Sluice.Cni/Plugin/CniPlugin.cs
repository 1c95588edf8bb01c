using Sluice.Cni.Config;
using Sluice.Cni.Results;
using Sluice.Json;

namespace Sluice.Cni.Plugin;

/// <summary>
/// What a plugin's <c>Main</c> hands to <see cref="CniDispatcher"/>: its name, the shape of its
/// configuration, how that configuration becomes the plugin's typed settings, and one function per
/// command. The dispatcher reads the configuration and computes the settings once per call, before
/// any command runs, and hands both to the command.
/// </summary>
/// <typeparam name="TConfig">The configuration as written (every key declared once in <see cref="Config"/>).</typeparam>
/// <typeparam name="TSettings">The configuration checked and typed: what the commands work from.</typeparam>
public sealed class CniPlugin<TConfig, TSettings>
    where TConfig : PluginConfig
{
    /// <summary>The executable's name, used in logs and error messages (e.g. <c>sluice-bridge</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The configuration's keys: the spec's and the logging keys (<see cref="PluginConfig.Keys"/>) and the plugin's own.</summary>
    public required JsonShape<TConfig> Config { get; init; }

    /// <summary>
    /// Checks the configuration and computes the settings every command works from; throws a CNI
    /// error (code 7, or 2 for an unsupported field) naming the field. Runs for every command but VERSION.
    /// </summary>
    public required Func<TConfig, CniEnvironment, TSettings> Settings { get; init; }

    /// <summary>The <c>CNI_ARGS</c> keys the plugin understands; others are rejected unless IgnoreUnknown is set.</summary>
    public IReadOnlyCollection<string> KnownArgs { get; init; } = CniArgs.KubernetesKeys;

    /// <summary>Turns the plugin's own exception types into CNI errors with a fitting code; null leaves an exception to the generic mapping.</summary>
    public Func<Exception, CniException?>? TranslateException { get; init; }

    public required Func<CniRequest<TSettings>, CniResult> Add { get; init; }

    public required Action<CniRequest<TSettings>> Del { get; init; }

    public required Action<CniRequest<TSettings>> Check { get; init; }

    public required Action<CniRequest<TSettings>> Status { get; init; }

    public required Action<CniRequest<TSettings>> Gc { get; init; }
}

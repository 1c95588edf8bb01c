using Sluice.Json;

namespace Sluice.Portmap;

/// <summary>
/// The hostPort masquerade switches, wherever the hostPort step runs: at the top level of
/// sluice-portmap's configuration, or in sluice-bridge's <c>hostPorts</c> object when the bridge
/// maps its own pods' ports. Declared once in <see cref="HostPortOptions.Keys"/>.
/// </summary>
public interface IHostPortOptions
{
    /// <summary>Masquerade hairpin, same-link and localhost connections to a mapped port (default true).</summary>
    bool? Snat { get; set; }

    /// <summary>Masquerade every connection to a mapped port, whatever its source.</summary>
    bool? MasqAll { get; set; }
}

/// <summary>sluice-bridge's <c>hostPorts</c> object: the switches of <see cref="IHostPortOptions"/> and nothing else.</summary>
public sealed class HostPortOptions : IHostPortOptions
{
    /// <summary>The keys of <see cref="IHostPortOptions"/>, for every configuration that takes them.</summary>
    public static IReadOnlyList<JsonField<IHostPortOptions>> Keys { get; } =
    [
        new JsonField<IHostPortOptions, bool?>("snat", JsonCodecs.Boolean, o => o.Snat, (o, v) => o.Snat = v),
        new JsonField<IHostPortOptions, bool?>("masqAll", JsonCodecs.Boolean, o => o.MasqAll, (o, v) => o.MasqAll = v),
    ];

    public static JsonShape<HostPortOptions> Shape { get; } = new JsonShape<HostPortOptions>(() => new HostPortOptions()).Include(Keys);

    /// <inheritdoc/>
    public bool? Snat { get; set; }

    /// <inheritdoc/>
    public bool? MasqAll { get; set; }
}

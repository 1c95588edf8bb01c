using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.Cni;
using Sluice.Cni.Config;
using Sluice.Cni.Logging;
using Sluice.Firewall;
using Sluice.Net;

namespace Sluice.Portmap;

/// <summary>
/// sluice-portmap's configuration checked and typed: the backend, the masquerade switches, and the
/// mappings of <c>runtimeConfig.portMappings</c>, each bad value a CNI error naming the field.
/// </summary>
public sealed record PortmapSettings
{
    private const string MappingsField = "runtimeConfig.portMappings";

    public required MappingOwner Owner { get; init; }

    public FirewallBackend Backend { get; init; }

    /// <summary>Masquerade connections the pod would otherwise answer directly or could not answer (its own link, localhost).</summary>
    public bool Snat { get; init; } = true;

    /// <summary>Masquerade every connection to a mapped port.</summary>
    public bool MasqAll { get; init; }

    public IReadOnlyList<HostPortMapping> Mappings { get; init; } = [];

    public static PortmapSettings From(PortmapConfig config, CniEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        RejectUnsupported("externalSetMarkChain", config.ExternalSetMarkChain, "no mark is set, connections are matched by their conntrack state");
        RejectUnsupported("conditionsV4", config.ConditionsV4, "rule text is not taken from configuration");
        RejectUnsupported("conditionsV6", config.ConditionsV6, "rule text is not taken from configuration");
        if (config.MarkMasqBit is { } bit && bit is < 0 or > 31)
        {
            throw Invalid($"field 'markMasqBit' {bit} is outside 0–31");
        }

        if (!FirewallBackends.TryParse(config.Backend, out var backend))
        {
            throw Invalid($"field 'backend' '{config.Backend}' is not one of {FirewallBackends.Choices}");
        }

        return Build(config.Name ?? "", backend, config, config.RuntimeConfig, env);
    }

    /// <summary>
    /// The settings of the hostPort step run inside a primary plugin (sluice-bridge with the
    /// portMappings capability): its network's name, its firewall backend, the switches of its
    /// <c>hostPorts</c> object (null: the defaults) and the mappings of its runtimeConfig.
    /// </summary>
    public static PortmapSettings ForPrimary(string network, FirewallBackend backend, IHostPortOptions? options, RuntimeConfig? runtimeConfig, CniEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(env);
        return Build(network, backend, options, runtimeConfig, env);
    }

    /// <remarks>
    /// The mappings are read for ADD and CHECK only: DEL and GC remove rules by their tags, so a
    /// mapping ADD refused (one Kubernetes' validation let through) never stands in the way of the
    /// pod's teardown.
    /// </remarks>
    private static PortmapSettings Build(string network, FirewallBackend backend, IHostPortOptions? options, RuntimeConfig? runtimeConfig, CniEnvironment env)
    {
        var settings = new PortmapSettings
        {
            Owner = new MappingOwner(network, env.ContainerId, env.IfName),
            Backend = backend,
            Snat = options?.Snat ?? true,
            MasqAll = options?.MasqAll ?? false,
            Mappings = UsesMappings(env.Command) ? (runtimeConfig?.PortMappings ?? []).Select(Mapping).ToList() : [],
        };
        RejectDuplicates(settings.Mappings);
        RejectLongTags(settings);
        return settings;
    }

    /// <summary>The commands that act on the mappings themselves (the others go by the rules' tags).</summary>
    public static bool UsesMappings(CniCommand command) => command is CniCommand.Add or CniCommand.Check;

    private static HostPortMapping Mapping(PortMapping entry, int index)
    {
        var at = $"{MappingsField}[{index}]";
        var protocol = MappingProtocols.Parse(entry.Protocol)
            ?? throw Invalid($"field '{at}.protocol' '{LogText.Escape(entry.Protocol!)}' is not one of tcp, udp, sctp");
        IPAddress? hostIp = null;
        if (!string.IsNullOrEmpty(entry.HostIp) && !IpText.TryParse(entry.HostIp, out hostIp))
        {
            throw Invalid($"field '{at}.hostIP' '{LogText.Escape(entry.HostIp)}' is not an IP address");
        }

        return new HostPortMapping(index, protocol, Port(entry.HostPort, $"{at}.hostPort"), Port(entry.ContainerPort, $"{at}.containerPort"), hostIp);
    }

    private static int Port(int? value, string field) => value switch
    {
        null => throw Invalid($"field '{field}' is missing"),
        < 1 or > 65535 => throw Invalid($"field '{field}' {value.Value.ToString(CultureInfo.InvariantCulture)} is outside 1–65535"),
        _ => value.Value,
    };

    /// <summary>Two mappings of the pod that would take the same connections (Kubernetes' validation lets some through: a hostIP and none).</summary>
    private static void RejectDuplicates(IReadOnlyList<HostPortMapping> mappings)
    {
        for (var i = 0; i < mappings.Count; i++)
        {
            if (mappings.Take(i).FirstOrDefault(earlier => earlier.Overlaps(mappings[i])) is { } first)
            {
                throw Invalid($"field '{MappingsField}[{i}]' ({mappings[i]}) takes the same connections as {MappingsField}[{first.Index}] ({first})");
            }
        }
    }

    /// <summary>Every rule's tag must fit nftables' comment; only absurdly long names do not.</summary>
    private static void RejectLongTags(PortmapSettings settings)
    {
        var longest = settings.Mappings
            .Select(m => PortForwardTag.Format(new PortForward(settings.Owner, m.Protocol, m.HostIp, m.HostPort, IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), m.ContainerPort)))
            .MaxBy(tag => tag.Length);
        if (longest is not null && longest.Length > PortForwardTag.MaxLength)
        {
            throw Invalid($"network name '{settings.Owner.Network}' and container ID '{settings.Owner.ContainerId}' are too long to tag the mapping rules with ({longest.Length} bytes with the mapping, at most {PortForwardTag.MaxLength})");
        }
    }

    private static void RejectUnsupported(string field, JsonElement? value, string why)
    {
        if (value is { ValueKind: not JsonValueKind.Null } element)
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"field '{field}' ({element.GetRawText()}) is not supported by sluice-portmap: {why}");
        }
    }

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}

using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using Sluice.Cni;
using Sluice.Firewall;
using Sluice.Ipam.Config;
using Sluice.Net;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>The validated configuration; every problem is a CNI error naming the field and value.</summary>
public sealed record BridgeSettings
{
    public const string DefaultBridge = "sluice0";

    public required string NetworkName { get; init; }

    public required string BridgeName { get; init; }

    public bool IsGateway { get; init; }

    public bool IsDefaultGateway { get; init; }

    public bool ForceAddress { get; init; }

    public bool IpMasq { get; init; }

    public FirewallBackend Backend { get; init; }

    public int? Mtu { get; init; }

    public bool HairpinMode { get; init; }

    public bool PromiscMode { get; init; }

    public bool EnableDad { get; init; }

    /// <summary>Null: the pod's own subnets.</summary>
    public IReadOnlyList<IPNetwork>? ClusterCidrs { get; init; }

    /// <summary>The pod's MAC as the runtime asked for it (CNI_ARGS, args, runtimeConfig); null: the kernel's choice.</summary>
    public PhysicalAddress? Mac { get; init; }

    /// <summary>The IPAM plugin's type (<c>ipam.type</c>).</summary>
    public required string IpamType { get; init; }

    /// <summary>
    /// The hostPort step's settings when the configuration declares the portMappings capability
    /// (the bridge maps the pod's hostPorts itself, no sluice-portmap after it); null otherwise.
    /// </summary>
    public PortmapSettings? HostPorts { get; init; }

    /// <summary>sluice-ipam's settings when it runs in-process (<see cref="IpamType"/> is sluice-ipam); null for a delegated IPAM plugin.</summary>
    public IpamSettings? InProcessIpam { get; init; }

    public static BridgeSettings From(BridgeConfig config, CniEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        RejectUnsupported("vlan", config.Vlan);
        RejectUnsupported("macspoofchk", config.MacSpoofCheck);
        var bridge = string.IsNullOrEmpty(config.Bridge) ? DefaultBridge : config.Bridge;
        if (CniNames.InterfaceNameProblem(bridge) is { } problem)
        {
            throw Invalid($"field 'bridge' '{bridge}' is not a usable interface name: it {problem}");
        }

        if (config.Mtu is { } mtu && (mtu < 68 || mtu > 65535))
        {
            throw Invalid($"field 'mtu' {mtu} is outside 68–65535");
        }

        var ipamType = config.IpamType
            ?? throw Invalid("field 'ipam.type' is missing: sluice-bridge needs an IPAM plugin");
        var backend = ParseBackend(config.IpMasqBackend);

        return new BridgeSettings
        {
            NetworkName = config.Name ?? "",
            BridgeName = bridge,
            IsGateway = config.IsGateway == true || config.IsDefaultGateway == true,
            IsDefaultGateway = config.IsDefaultGateway == true,
            ForceAddress = config.ForceAddress == true,
            IpMasq = config.IpMasq ?? false,
            Backend = backend,
            Mtu = config.Mtu,
            HairpinMode = config.HairpinMode == true,
            PromiscMode = config.PromiscMode == true,
            EnableDad = config.EnableDad == true,
            ClusterCidrs = config.ClusterCidrs?.Select((text, i) => ParseCidr(text, i)).ToList(),
            Mac = PodMac.From(config, env.Args),
            IpamType = ipamType,
            InProcessIpam = ipamType == Ipam.InProcessIpam.PluginType ? IpamSettings.Load(config) : null,
            HostPorts = HostPortSettings(config, backend, env),
        };
    }

    /// <summary>
    /// With <c>capabilities.portMappings</c> the runtime passes the pod's hostPorts to the bridge,
    /// which maps them itself in its firewall backend. Mappings or a <c>hostPorts</c> object
    /// without the capability are a configuration that cannot do what it says.
    /// </summary>
    private static PortmapSettings? HostPortSettings(BridgeConfig config, FirewallBackend backend, CniEnvironment env)
    {
        if (config.Capabilities?.GetValueOrDefault("portMappings") == true)
        {
            return PortmapSettings.ForPrimary(config.Name ?? "", backend, config.HostPorts, config.RuntimeConfig, env);
        }

        if (!PortmapSettings.UsesMappings(env.Command))
        {
            // DEL and GC clean up whatever the configuration says.
            return null;
        }

        if (config.HostPorts is not null)
        {
            throw Invalid("field 'hostPorts' is set but 'capabilities.portMappings' is not true: the runtime passes no hostPorts to a plugin that does not declare the capability");
        }

        if (config.RuntimeConfig?.PortMappings is { Count: > 0 })
        {
            throw Invalid("field 'runtimeConfig.portMappings' is set but 'capabilities.portMappings' is not true: declare the capability for sluice-bridge to map the pod's hostPorts, or chain sluice-portmap after it");
        }

        return null;
    }

    private static FirewallBackend ParseBackend(string? value) =>
        FirewallBackends.TryParse(value, out var backend) ? backend : throw Invalid($"field 'ipMasqBackend' '{value}' is not one of {FirewallBackends.Choices}");

    private static IPNetwork ParseCidr(string text, int index) =>
        Cidr.Problem(text, out var network) is { } problem ? throw Invalid($"field 'clusterCidrs[{index}]' '{text}' {problem}") : network;

    private static void RejectUnsupported(string field, JsonElement? value)
    {
        if (value is { } element && element.ValueKind is not (JsonValueKind.Null or JsonValueKind.False) &&
            !(element.ValueKind == JsonValueKind.Number && element.GetRawText() == "0"))
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"field '{field}' ({element.GetRawText()}) is not supported by sluice-bridge");
        }
    }

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}

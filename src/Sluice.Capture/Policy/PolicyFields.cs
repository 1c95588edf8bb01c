namespace Sluice.Capture.Policy;

/// <summary>The names validation gives the settings of a <see cref="CapturePolicy"/>; front ends map them to their flags or annotations.</summary>
public static class PolicyFields
{
    public const string OutboundPort = "outbound port";
    public const string InboundPort = "inbound port";
    public const string ProxyUid = "proxy uid";
    public const string ProxyGid = "proxy gid";
    public const string InboundMode = "inbound mode";
    public const string TproxyMark = "tproxy mark";
    public const string TproxyTable = "tproxy route table";
    public const string InboundPorts = "inbound ports";
    public const string InboundExcludePorts = "inbound exclude ports";
    public const string OutboundCidrs = "outbound networks";
    public const string OutboundExcludeCidrs = "outbound exclude networks";
    public const string OutboundPorts = "outbound ports";
    public const string OutboundExcludePorts = "outbound exclude ports";
    public const string ExcludeInterfaces = "exclude interfaces";
    public const string RerouteInterfaces = "reroute interfaces";
    public const string DnsPort = "dns port";
    public const string MediaUdpPorts = "media udp ports";
    public const string MediaPort = "media port";
    public const string Families = "families";
}

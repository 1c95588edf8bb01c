namespace Sluice.Capture.Policy;

/// <summary>How inbound connections reach the proxy.</summary>
public enum InboundMode
{
    /// <summary>nat REDIRECT: the proxy sees the pod's address as the local one and asks SO_ORIGINAL_DST for the port.</summary>
    Redirect,

    /// <summary>TPROXY in mangle with a mark and a policy-routing table: the proxy's accepted socket keeps the original destination (and the client's source address).</summary>
    Tproxy,
}

/// <summary>The IP families whose traffic is captured.</summary>
[Flags]
public enum CaptureFamilies
{
    Ipv4 = 1,
    Ipv6 = 2,
    Both = Ipv4 | Ipv6,
}

namespace Sluice.Portmap;

/// <summary>sluice-portmap's own error codes (besides the spec's and <see cref="Cni.SluiceErrorCode"/>).</summary>
public static class PortmapErrorCode
{
    /// <summary>A requested host port is already mapped to another attachment on this node; the message names it.</summary>
    public const int HostPortInUse = 120;
}

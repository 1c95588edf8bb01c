namespace Sluice.Cni;

/// <summary>The error codes of the CNI specification (0–99 are reserved by the spec).</summary>
public static class CniErrorCode
{
    public const int IncompatibleCniVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironmentVariables = 4;
    public const int IoFailure = 5;
    public const int DecodingFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;
    public const int PluginNotAvailableContainersDamaged = 51;

    /// <summary>Last resort for failures no other code describes (the reference plugins' 999).</summary>
    public const int Internal = 999;
}

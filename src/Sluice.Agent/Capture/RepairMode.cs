namespace Sluice.Agent.Capture;

/// <summary>What the capture reconciler does about a mesh pod it finds without its capture.</summary>
public enum RepairMode
{
    /// <summary>Install the pod's capture in place, in one atomic batch (the default).</summary>
    Repair,

    /// <summary>Label the pod <c>sluice.io/uncaptured=true</c> for an operator or a controller to act on.</summary>
    Label,

    /// <summary>Delete the pod so its controller recreates it (through the plugin, captured).</summary>
    Delete,

    /// <summary>Only report it: log, metrics, a Kubernetes Event.</summary>
    Off,
}

/// <summary>The names of <see cref="RepairMode"/> as settings, metrics and the chart spell them.</summary>
public static class RepairModes
{
    /// <exception cref="Sluice.CommandLine.InvalidValueException">Not one of the four names (case does not matter).</exception>
    public static RepairMode Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "repair" => RepairMode.Repair,
        "label" => RepairMode.Label,
        "delete" => RepairMode.Delete,
        "off" => RepairMode.Off,
        _ => throw new Sluice.CommandLine.InvalidValueException("is not a repair mode (repair, label, delete or off)"),
    };

    public static string Name(this RepairMode mode) => mode switch
    {
        RepairMode.Repair => "repair",
        RepairMode.Label => "label",
        RepairMode.Delete => "delete",
        _ => "off",
    };
}

namespace Sluice.CaptureTool;

/// <summary>
/// One option: its short letter (istio-iptables' where it has one), long name and aliases, the
/// name of its value (null for a switch), its help line and its effect on the command.
/// </summary>
internal sealed record CaptureOption(char? Short, string Long, string? Value, string Help, Action<CaptureCommand, string, string> Apply, params string[] Aliases)
{
    public bool TakesValue => Value is not null;

    /// <summary>How --help shows it: <c>-p, --envoy-port PORT</c>.</summary>
    public string Synopsis => $"{(Short is { } letter ? $"-{letter}, " : "    ")}--{Long}{(Value is null ? "" : $" {Value}")}";
}

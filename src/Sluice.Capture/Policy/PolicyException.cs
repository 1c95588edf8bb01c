namespace Sluice.Capture.Policy;

/// <summary>A capture setting with a value it cannot have; the message names both.</summary>
public sealed class PolicyException(string setting, string value, string problem)
    : Exception($"{setting} '{value}' {problem}")
{
    /// <summary>The setting as the user named it (a flag, an annotation, a field).</summary>
    public string Setting => setting;

    public string Value => value;

    public string Problem => problem;
}

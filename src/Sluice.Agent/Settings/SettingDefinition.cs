namespace Sluice.Agent.Settings;

/// <summary>One setting: its flag (<c>--cni-bin-dir</c>), its environment variable (<c>CNI_BIN_DIR</c>), its default and what it means.</summary>
internal sealed record SettingDefinition(string Flag, string Variable, SettingKind Kind, string Default, string Help)
{
    public string Name => Flag[2..];
}

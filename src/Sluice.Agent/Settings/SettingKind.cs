namespace Sluice.Agent.Settings;

/// <summary>How a setting's text is read.</summary>
internal enum SettingKind
{
    Text,
    Path,
    Boolean,
    Port,
    Level,
    Json,
    List,
    PathList,
    Profile,
    CidrList,
    RepairMode,
    Seconds,
}

namespace Sluice.Agent.Settings;

/// <summary>A bad setting, named as the operator gave it (flag or environment variable) with its value.</summary>
public sealed class AgentSettingsException(string message) : Exception(message);

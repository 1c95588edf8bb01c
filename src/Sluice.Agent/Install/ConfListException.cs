namespace Sluice.Agent.Install;

/// <summary>A CNI configuration file that cannot be chained into (not JSON, or neither a list nor a plugin); it is left as it is.</summary>
public sealed class ConfListException(string message) : Exception(message);

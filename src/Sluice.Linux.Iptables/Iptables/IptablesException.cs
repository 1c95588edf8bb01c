namespace Sluice.Linux.Iptables;

/// <summary>An iptables command that failed: the command line, its exit code and what it printed on stderr.</summary>
public sealed class IptablesException(string message) : Exception(message);

namespace Sluice.TestSupport.Cluster;

/// <summary>A step of a test cluster that did not happen as it should (the message says what, with the agent's log when it matters).</summary>
public sealed class ClusterException(string message) : Exception(message);

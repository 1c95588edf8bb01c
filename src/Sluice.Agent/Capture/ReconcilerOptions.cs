namespace Sluice.Agent.Capture;

/// <summary>How the capture reconciler works on this node: the mode, the period of the full check, and which init containers validate capture.</summary>
public sealed record ReconcilerOptions(string NodeName, RepairMode Mode, TimeSpan Period, IReadOnlySet<string> ValidationContainers);

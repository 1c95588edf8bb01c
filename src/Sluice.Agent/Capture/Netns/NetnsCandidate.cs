namespace Sluice.Agent.Capture.Netns;

/// <summary>A namespace that may be a pod's, and how it was found (for the log and events): "sandbox record …", "named netns", "process namespace".</summary>
public sealed record NetnsCandidate(string Path, string Source, bool FromRecord = false);

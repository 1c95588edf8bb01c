using System.Net;
using Sluice.Capture.Policy;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

/// <summary>A mesh pod found without its capture: why, in a word (for the metric) and in words (for the log and the event), where its namespace is and which policy it needs.</summary>
internal sealed record Finding(
    string Key,
    Pod Pod,
    TrackedPod Tracked,
    string Reason,
    string Detail,
    string? Netns,
    CapturePolicy? Policy,
    int? ValidationRestarts,
    IReadOnlyList<IPAddress>? Addresses = null);

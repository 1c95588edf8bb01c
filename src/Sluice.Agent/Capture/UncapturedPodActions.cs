using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

/// <summary>The label and delete outcomes on the API server, each aimed at the pod's UID so a same-named successor is never touched.</summary>
public sealed class UncapturedPodActions(KubeClient client)
{
    /// <summary>The label an uncaptured mesh pod gets in label mode (removed once its capture is in place).</summary>
    public const string UncapturedLabel = "sluice.io/uncaptured";

    public static bool IsLabelled(Pod pod) =>
        pod?.Metadata.Labels?.TryGetValue(UncapturedLabel, out var value) == true && value == "true";

    public Task LabelAsync(Pod pod, CancellationToken cancellationToken) =>
        client.PatchPodLabelsAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, pod.Metadata.Uid!, new Dictionary<string, string?> { [UncapturedLabel] = "true" }, cancellationToken);

    public Task UnlabelAsync(Pod pod, CancellationToken cancellationToken) =>
        client.PatchPodLabelsAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, pod.Metadata.Uid!, new Dictionary<string, string?> { [UncapturedLabel] = null }, cancellationToken);

    /// <summary>False when the pod was already gone or replaced.</summary>
    public Task<bool> DeleteAsync(Pod pod, CancellationToken cancellationToken) =>
        client.DeletePodAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, pod.Metadata.Uid!, cancellationToken);
}

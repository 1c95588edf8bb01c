using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

/// <summary>
/// Istio's validation contract: an injector adds an init container that checks the pod's capture
/// and exits 126 when it is not in place. A pod whose validation container last ended with 126
/// said itself that it runs without its capture.
/// </summary>
public static class ValidationFailure
{
    public const int ExitCode = 126;

    /// <summary>The validation container that last exited 126, with its restart count (each failure is acted on once), or null.</summary>
    public static (string Container, int Restarts)? Of(Pod pod, IReadOnlyCollection<string> validationContainers)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(validationContainers);
        foreach (var status in pod.Status.InitContainerStatuses)
        {
            if (status.Name is { } name && validationContainers.Contains(name) && status.LastExitCode == ExitCode)
            {
                return (name, status.RestartCount);
            }
        }

        return null;
    }
}

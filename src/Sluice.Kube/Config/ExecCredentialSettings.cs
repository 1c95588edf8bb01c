namespace Sluice.Kube.Config;

/// <summary>
/// A kubeconfig user's <c>exec</c> credential plugin (client.authentication.k8s.io/v1 or
/// v1beta1 ExecCredential), as kubectl runs it: <c>aws eks get-token</c>, <c>gke-gcloud-auth-plugin</c>,
/// <c>kubelogin get-token</c> and the like.
/// </summary>
public sealed class ExecCredentialSettings
{
    /// <summary>The program: an absolute path (a relative one with a slash was resolved against the kubeconfig's directory), or a bare name looked up on <see cref="Client.ExecCredentialPlugin.SearchPath"/>.</summary>
    public required string Command { get; init; }

    /// <summary>client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1; the plugin must answer in the same.</summary>
    public required string ApiVersion { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Variables added to the plugin's environment (on top of this process's).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Never, IfAvailable or Always. Sluice has no terminal: it runs plugins non-interactively and refuses Always.</summary>
    public string InteractiveMode { get; init; } = "Never";

    /// <summary>What the kubeconfig says to do when the program is missing (shown in that error).</summary>
    public string? InstallHint { get; init; }

    /// <summary>With provideClusterInfo: the cluster as the plugin gets it in KUBERNETES_EXEC_INFO (spec.cluster, JSON); else null.</summary>
    public string? ClusterJson { get; init; }

    /// <summary>Identifies the plugin call: the same settings share one cached credential in a process.</summary>
    internal string CacheKey => string.Join('\0', [Command, ApiVersion, ClusterJson ?? "", .. Arguments, "\0env", .. Environment.Select(e => e.Key + "=" + e.Value)]);
}

using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Sluice.Json;
using Sluice.Kube.Models;
using Sluice.Linux.Processes;

namespace Sluice.Redirect;

/// <summary>
/// Pods from the API server named by the configured kubeconfig, within the configured time bounds,
/// read by <c>sluice-kube get-pod</c> (installed beside this binary). The HTTPS client lives in that
/// helper, not here: linked into sluice-redirect it made every ADD slower to start (its static
/// state is set up at every start, used or not), also for the ADDs that sluice-agent answers
/// (measured in docs/benchmarks.md). This path pays an exec instead, next to a TLS handshake.
/// </summary>
internal sealed class ApiServerPodSource(RedirectSettings settings) : IPodSource
{
    public const string Helper = "sluice-kube";

    /// <summary>Start-up and exit of the helper, on top of its own total time bound.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>The helper beside the running executable (the agent installs them together).</summary>
    public static string HelperPath => Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? "/", Helper);

    public PodFacts Get(string podNamespace, string podName)
    {
        var what = $"looking up pod {podNamespace}/{podName}";
        var limit = settings.LookupTotal + Grace;
        ChildOutput? output;
        try
        {
            output = ChildProcess.Run(HelperPath, Arguments(podNamespace, podName), "", limit);
        }
        catch (Win32Exception error)
        {
            throw new PodLookupException($"{what}: cannot run {HelperPath} ({error.Message}); it is installed beside {RedirectPlugin.Name}");
        }

        if (output is null)
        {
            throw new PodLookupException($"{what}: {Helper} gave no answer within {limit.TotalSeconds:F0} s");
        }

        if (output.ExitCode != 0)
        {
            var why = output.Stderr.Trim();
            throw new PodLookupException(why.Length > 0 ? why : $"{what}: {Helper} exited with {output.ExitCode}");
        }

        try
        {
            return PodFacts.From(PodJson.Read(output.Stdout), podNamespace, podName);
        }
        catch (Exception error) when (error is JsonException or JsonFieldException)
        {
            throw new PodLookupException($"{what}: {Helper} printed no pod ({error.Message})", error);
        }
    }

    private IEnumerable<string> Arguments(string podNamespace, string podName) =>
    [
        "get-pod",
        "--kubeconfig", settings.Kubeconfig,
        "--namespace", podNamespace,
        "--pod", podName,
        "--request-timeout-ms", Ms(settings.LookupTimeout),
        "--attempts", settings.LookupAttempts.ToString(CultureInfo.InvariantCulture),
        "--total-timeout-ms", Ms(settings.LookupTotal),
    ];

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}

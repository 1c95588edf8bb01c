using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sluice.Kube.Models;

namespace Sluice.Redirect;

/// <summary>
/// Pods from the API server named by the configured kubeconfig, within the configured time bounds,
/// read by <c>sluice-kube get-pod</c> (installed beside this binary). The HTTPS client lives in that
/// helper, not here: linked into sluice-redirect it made every ADD about 0.7 ms slower to start
/// (its static state is set up at every start, used or not), also for the ADDs that sluice-agent
/// answers (docs/benchmarks.md). This path pays an exec instead, next to a TLS handshake.
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
        var start = new ProcessStartInfo(HelperPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(podNamespace, podName))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PodLookupException($"{what}: {HelperPath} did not start");
        }
        catch (Win32Exception error)
        {
            throw new PodLookupException($"{what}: cannot run {HelperPath} ({error.Message}); it is installed beside {RedirectPlugin.Name}");
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var limit = settings.LookupTotal + Grace;
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new PodLookupException($"{what}: {Helper} gave no answer within {limit.TotalSeconds:F0} s");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var why = stderr.Result.Trim();
                throw new PodLookupException(why.Length > 0 ? why : $"{what}: {Helper} exited with {process.ExitCode}");
            }

            try
            {
                return PodFacts.From(PodJson.Read(stdout.Result), podNamespace, podName);
            }
            catch (JsonException error)
            {
                throw new PodLookupException($"{what}: {Helper} printed no pod ({error.Message})", error);
            }
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

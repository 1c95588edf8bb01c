using System.Globalization;
using Sluice.Kube.Client;

namespace Sluice.KubeTool;

/// <summary>What <c>sluice-kube get-pod</c> was asked for: the pod, the kubeconfig, the time bounds.</summary>
internal sealed record PodRequest(string Kubeconfig, string Namespace, string Pod, KubeClientOptions Options)
{
    private static readonly string[] Keys = ["kubeconfig", "namespace", "pod", "request-timeout-ms", "attempts", "total-timeout-ms"];

    /// <exception cref="ArgumentException">The command line is not a complete get-pod (the message says what is wrong).</exception>
    public static PodRequest Parse(IReadOnlyList<string> arguments)
    {
        if (arguments is not ["get-pod", ..])
        {
            throw new ArgumentException(arguments.Count == 0 ? "no command (the one command is get-pod)" : $"unknown command '{arguments[0]}' (the one command is get-pod)");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < arguments.Count; i++)
        {
            var (key, value) = arguments[i].Split('=', 2) is [var k, var v] ? (k, (string?)v) : (arguments[i], null);
            if (!key.StartsWith("--", StringComparison.Ordinal) || !Keys.Contains(key[2..], StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown option '{arguments[i]}'");
            }

            value ??= i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException($"option '{key}' needs a value");
            values[key[2..]] = value;
        }

        var defaults = new KubeClientOptions();
        return new PodRequest(
            Required(values, "kubeconfig"),
            Required(values, "namespace"),
            Required(values, "pod"),
            new KubeClientOptions
            {
                RequestTimeout = Milliseconds(values, "request-timeout-ms") ?? defaults.RequestTimeout,
                MaxAttempts = Count(values, "attempts") ?? defaults.MaxAttempts,
                TotalTimeout = Milliseconds(values, "total-timeout-ms") ?? TimeSpan.FromSeconds(8),
            });
    }

    private static string Required(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{key} is required");

    private static TimeSpan? Milliseconds(Dictionary<string, string> values, string key) =>
        Count(values, key) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private static int? Count(Dictionary<string, string> values, string key)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{key} '{text}' is not a positive whole number");
    }
}

using System.Text.Json;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Cni;

namespace Sluice.Redirect;

/// <summary>
/// <c>sluice-redirect explain --namespace NS --pod NAME [--config FILE] [--kubeconfig FILE] [--profile P] [--backend B]</c>:
/// looks the pod up as ADD would, and prints the decision, its reason and the rules it would
/// install. Touches nothing. <c>--config</c> takes the plugin's configuration or a whole
/// conflist (the sluice-redirect entry is used); flags override it.
/// </summary>
internal static class RedirectExplain
{
    private const string Usage = """
        Usage: sluice-redirect explain --namespace NS --pod NAME [OPTION]...
        Show whether sluice-redirect would capture a pod's traffic, why, and the rules it would install.
        Nothing is changed.

          --namespace NS       the pod's namespace
          --pod NAME           the pod's name
          --config FILE        the plugin configuration, or a conflist holding it (default: none)
          --kubeconfig FILE    the kubeconfig to read the pod with (default: the configuration's)
          --profile NAME       msm, istio or generic (default: the configuration's)
          --backend NAME       render the rules for nft or iptables (default: nft)
          -h, --help           show this help

        Exit status: 0 the pod would be captured, 4 it would not, 1 the lookup failed, 2 bad usage or configuration.
        """;

    public static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is "-h" or "--help")
            {
                output.Write(Usage);
                return 0;
            }

            var (key, value) = argument.Split('=', 2) is [var k, var v] ? (k, (string?)v) : (argument, null);
            if (key is not ("--namespace" or "--pod" or "--config" or "--kubeconfig" or "--profile" or "--backend"))
            {
                return Fail(errors, $"unknown option '{argument}'");
            }

            value ??= i + 1 < arguments.Count ? arguments[++i] : null;
            if (value is null)
            {
                return Fail(errors, $"option '{key}' needs a value");
            }

            options[key[2..]] = value;
        }

        if (!options.TryGetValue("namespace", out var ns) || !options.TryGetValue("pod", out var pod))
        {
            return Fail(errors, "--namespace and --pod are required");
        }

        RedirectSettings settings;
        try
        {
            settings = RedirectSettings.From(Configuration(options));
        }
        catch (Exception error) when (error is CniException or IOException or JsonException or UnauthorizedAccessException)
        {
            return Fail(errors, error.Message);
        }

        CaptureBackendKind kind;
        try
        {
            // The rules are shown as a backend writes them; auto shows nftables.
            kind = CaptureBackends.Parse(options.GetValueOrDefault("backend", "nft"), "--backend") is var chosen && chosen != CaptureBackendKind.Auto ? chosen : CaptureBackendKind.Nftables;
        }
        catch (PolicyException error)
        {
            return Fail(errors, error.Message);
        }

        CaptureDecision decision;
        try
        {
            decision = settings.ExcludeNamespaces.Contains(ns)
                ? CaptureDecision.Skip($"namespace {ns} is excluded")
                : CaptureDecider.Decide(settings, new ApiServerPodSource(settings).Get(ns, pod));
        }
        catch (PodLookupException error)
        {
            errors.WriteLine($"{RedirectPlugin.Name} explain: {error.Message}");
            return 1;
        }
        catch (PolicyException error)
        {
            output.WriteLine($"pod {ns}/{pod}: ADD would fail: {error.Message}");
            return 1;
        }

        output.WriteLine($"pod {ns}/{pod} (profile {settings.Profile.ToString().ToLowerInvariant()}): {(decision.Capture ? "captured" : "not captured")}");
        output.WriteLine($"reason: {decision.Reason}");
        if (decision.Policy is { } policy)
        {
            output.WriteLine($"policy: {policy}");
            output.Write(CaptureEngine.Render(policy, kind));
            return 0;
        }

        return 4;
    }

    private static RedirectConfig Configuration(Dictionary<string, string> options)
    {
        var config = options.TryGetValue("config", out var file) ? FromFile(file) : new RedirectConfig();
        if (options.TryGetValue("kubeconfig", out var kubeconfig))
        {
            config.Kubernetes ??= new KubernetesSection();
            config.Kubernetes.Kubeconfig = kubeconfig;
        }

        if (options.TryGetValue("profile", out var profile))
        {
            config.Profile = profile;
        }

        return config;
    }

    private static RedirectConfig FromFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var entry = root;
        if (root.TryGetProperty("plugins", out var plugins) && plugins.ValueKind == JsonValueKind.Array)
        {
            entry = plugins.EnumerateArray().FirstOrDefault(p => p.TryGetProperty("type", out var type) && type.GetString() == RedirectPlugin.Name);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"{path}: the conflist has no {RedirectPlugin.Name} plugin");
            }
        }

        return Cni.Json.CniJson.Read(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(entry).ToArray(), RedirectConfig.Shape, path);
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine($"{RedirectPlugin.Name} explain: {message}");
        errors.WriteLine($"Try '{RedirectPlugin.Name} explain --help' for more information.");
        return 2;
    }
}

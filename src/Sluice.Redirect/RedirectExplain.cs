using System.Text.Json;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Cni;
using Sluice.CommandLine;

namespace Sluice.Redirect;

/// <summary>
/// <c>sluice-redirect explain --namespace NS --pod NAME [--config FILE] [--kubeconfig FILE] [--profile P] [--backend B]</c>:
/// looks the pod up as ADD would, and prints the decision, its reason and the rules it would
/// install. Touches nothing. <c>--config</c> takes the plugin's configuration or a whole
/// conflist (the sluice-redirect entry is used); flags override it.
/// </summary>
internal static class RedirectExplain
{
    public static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        var line = new ExplainLine();
        ParseResult given;
        try
        {
            given = line.Command.Parse(arguments);
        }
        catch (CommandLineException error)
        {
            return Fail(errors, error.Message);
        }

        if (given.HelpRequested)
        {
            output.Write(line.Command.Help());
            return 0;
        }

        var ns = given.Get(line.Namespace);
        var pod = given.Get(line.Pod);
        RedirectSettings settings;
        try
        {
            settings = RedirectSettings.From(Configuration(line, given));
        }
        catch (Exception error) when (error is CniException or IOException or JsonException or UnauthorizedAccessException)
        {
            return Fail(errors, error.Message);
        }

        CaptureBackendKind kind;
        try
        {
            // The rules are shown as a backend writes them; auto shows nftables.
            kind = CaptureBackends.Parse(given.Get(line.Backend), "--backend") is var chosen && chosen != CaptureBackendKind.Auto ? chosen : CaptureBackendKind.Nftables;
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

    private static RedirectConfig Configuration(ExplainLine line, ParseResult given)
    {
        var config = given.Has(line.Config) ? FromFile(given.Get(line.Config)) : new RedirectConfig();
        if (given.Has(line.Kubeconfig))
        {
            config.Kubernetes ??= new KubernetesSection();
            config.Kubernetes.Kubeconfig = given.Get(line.Kubeconfig);
        }

        if (given.Has(line.Profile))
        {
            config.Profile = given.Get(line.Profile);
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

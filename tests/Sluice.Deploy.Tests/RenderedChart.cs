using System.Text.Json;

namespace Sluice.Deploy.Tests;

/// <summary>The documents the chart rendered (its manifests, then its Helm hooks), with the parts the tests look at.</summary>
internal sealed class RenderedChart(IReadOnlyList<JsonElement> documents)
{
    public IReadOnlyList<JsonElement> Documents => documents;

    /// <summary>What helm installs: every document but the hooks.</summary>
    public IReadOnlyList<JsonElement> Manifests => documents.Where(d => HookOf(d) is null).ToList();

    /// <summary>The documents annotated helm.sh/hook, in the order they were rendered.</summary>
    public IReadOnlyList<JsonElement> Hooks => documents.Where(d => HookOf(d) is not null).ToList();

    public IEnumerable<(string Kind, string Name)> KindsAndNames => Names(Manifests);

    public IEnumerable<(string Kind, string Name)> HookKindsAndNames => Names(Hooks);

    public JsonElement DaemonSet => Single("DaemonSet");

    public JsonElement PodSpec => DaemonSet.GetProperty("spec").GetProperty("template").GetProperty("spec");

    public JsonElement AgentContainer => PodSpec.GetProperty("containers").EnumerateArray().Single();

    /// <summary>The agent's environment: name → the literal value, or null for one taken from elsewhere.</summary>
    public IReadOnlyDictionary<string, string?> Env => AgentContainer.GetProperty("env").EnumerateArray().ToDictionary(
        e => e.GetProperty("name").GetString()!,
        e => e.TryGetProperty("value", out var value) ? value.GetString() : null);

    /// <summary>Volume name → host path.</summary>
    public IReadOnlyDictionary<string, string> HostPaths => PodSpec.GetProperty("volumes").EnumerateArray().ToDictionary(
        v => v.GetProperty("name").GetString()!,
        v => v.GetProperty("hostPath").GetProperty("path").GetString()!);

    /// <summary>Volume name → path in the agent's container.</summary>
    public IReadOnlyDictionary<string, string> Mounts => AgentContainer.GetProperty("volumeMounts").EnumerateArray().ToDictionary(
        m => m.GetProperty("name").GetString()!,
        m => m.GetProperty("mountPath").GetString()!);

    /// <summary>The ClusterRole's rules as "resource: verb,verb".</summary>
    public IReadOnlyList<string> ClusterRoleRules => Rules(Single("ClusterRole", "sluice"));

    /// <summary>A role's rules as "group/resource: verb,verb" (with "[names]" when it names resources).</summary>
    public static IReadOnlyList<string> Rules(JsonElement role) => role.GetProperty("rules").EnumerateArray()
        .SelectMany(rule => rule.GetProperty("resources").EnumerateArray().Select(resource =>
            $"{rule.GetProperty("apiGroups")[0].GetString()}/{resource.GetString()}: " +
            string.Join(',', rule.GetProperty("verbs").EnumerateArray().Select(v => v.GetString())) +
            (rule.TryGetProperty("resourceNames", out var names) ? $" [{string.Join(',', names.EnumerateArray().Select(n => n.GetString()))}]" : ""))).ToList();

    /// <summary>The sluice-redirect entry the ConfigMap holds for PLUGIN_CONFIG.</summary>
    public JsonElement PluginEntry
    {
        get
        {
            var text = Single("ConfigMap").GetProperty("data").GetProperty("plugin-config.json").GetString()!;
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The one manifest (not hook) of <paramref name="kind"/>.</summary>
    public JsonElement Single(string kind) => Manifests.Single(d => d.GetProperty("kind").GetString() == kind);

    /// <summary>The manifest (not hook) of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public JsonElement Single(string kind, string name) =>
        Manifests.Single(d => d.GetProperty("kind").GetString() == kind && d.GetProperty("metadata").GetProperty("name").GetString() == name);

    /// <summary>The one hook of <paramref name="kind"/>.</summary>
    public JsonElement Hook(string kind) => Hooks.Single(d => d.GetProperty("kind").GetString() == kind);

    /// <summary>A document's helm.sh/hook annotation, or null.</summary>
    public static string? HookOf(JsonElement document) =>
        document.GetProperty("metadata").TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("helm.sh/hook", out var hook) ? hook.GetString() : null;

    private static IEnumerable<(string Kind, string Name)> Names(IEnumerable<JsonElement> documents) =>
        documents.Select(d => (d.GetProperty("kind").GetString()!, d.GetProperty("metadata").GetProperty("name").GetString()!));
}

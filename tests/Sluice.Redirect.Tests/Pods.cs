namespace Sluice.Redirect.Tests;

/// <summary>Pods as the decision sees them, built tersely for table tests.</summary>
internal static class Pods
{
    public static PodFacts Pod(
        string ns = "default",
        string name = "web-1",
        Dictionary<string, string>? labels = null,
        Dictionary<string, string>? annotations = null,
        ContainerFacts[]? containers = null,
        ContainerFacts[]? initContainers = null) => new()
        {
            Namespace = ns,
            Name = name,
            Labels = labels ?? [],
            Annotations = annotations ?? [],
            Containers = containers ?? [Container("app")],
            InitContainers = initContainers ?? [],
        };

    public static ContainerFacts Container(string name, long? uid = null, long? gid = null, Dictionary<string, string>? env = null, string? restartPolicy = null) =>
        new() { Name = name, RunAsUser = uid, RunAsGroup = gid, Env = env ?? [], RestartPolicy = restartPolicy };

    /// <summary>What the Istio injector leaves on a pod: an istio-proxy container and the status annotation.</summary>
    public static PodFacts IstioPod(Dictionary<string, string>? annotations = null, Dictionary<string, string>? labels = null, ContainerFacts? proxy = null)
    {
        var all = new Dictionary<string, string> { [CaptureDecider.IstioStatus] = "{\"initContainers\":null,\"containers\":[\"istio-proxy\"]}" };
        foreach (var (key, value) in annotations ?? [])
        {
            all[key] = value;
        }

        return Pod(labels: labels, annotations: all, containers: [Container("app"), proxy ?? Container(CaptureDecider.IstioProxy)]);
    }

    public static RedirectSettings Settings(string json)
    {
        return RedirectSettings.Read(
            System.Text.Encoding.UTF8.GetBytes($$"""{"cniVersion":"1.1.0","name":"mesh","type":"sluice-redirect",{{json}}}"""),
            "network configuration");
    }
}

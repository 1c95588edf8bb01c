using System.Text.Json;

namespace Sluice.Deploy.Tests;

/// <summary>metrics.*: scrape annotations, a ServiceMonitor (with its headless Service) or a PodMonitor, all off by default.</summary>
public sealed class ChartMonitoringTests
{
    private static readonly string[] SelectorLabels = ["app.kubernetes.io/instance=sluice", "app.kubernetes.io/name=sluice-agent"];

    [Fact]
    public void Render_Defaults_NoMonitorNoServiceAndNoScrapeAnnotations()
    {
        var chart = ChartRenderer.Render();

        Assert.DoesNotContain(chart.KindsAndNames, k => k.Kind is "Service" or "ServiceMonitor" or "PodMonitor");
        Assert.False(PodAnnotations(chart).ContainsKey("prometheus.io/scrape"));
    }

    [Fact]
    public void Render_ScrapeAnnotations_NameTheHealthPortAndMetricsPath()
    {
        var annotations = PodAnnotations(ChartRenderer.Render(sets: ["metrics.scrapeAnnotations=true", "agent.healthPort=9999"]));

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("9999", annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
    }

    [Fact]
    public void Render_ServiceMonitor_SelectsAHeadlessServiceOverTheAgentsHealthPort()
    {
        var chart = ChartRenderer.Render("""
            metrics:
              serviceMonitor:
                enabled: true
                labels: {release: kube-prometheus-stack}
                interval: 1m
            """);

        var service = chart.Single("Service");
        Assert.Equal("None", service.GetProperty("spec").GetProperty("clusterIP").GetString());
        Assert.Equal(SelectorLabels, Labels(service.GetProperty("spec").GetProperty("selector")));
        Assert.Equal(Labels(chart.DaemonSet.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels")), Labels(service.GetProperty("spec").GetProperty("selector")));
        var port = Assert.Single(service.GetProperty("spec").GetProperty("ports").EnumerateArray());
        Assert.Equal("metrics", port.GetProperty("name").GetString());
        Assert.Equal("health", port.GetProperty("targetPort").GetString());
        Assert.Contains(chart.AgentContainer.GetProperty("ports").EnumerateArray(), p => p.GetProperty("name").GetString() == "health");

        var monitor = chart.Single("ServiceMonitor");
        Assert.Equal("monitoring.coreos.com/v1", monitor.GetProperty("apiVersion").GetString());
        Assert.Equal("kube-prometheus-stack", monitor.GetProperty("metadata").GetProperty("labels").GetProperty("release").GetString());
        var selected = Labels(monitor.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels"));
        Assert.All(selected, label => Assert.Contains(label, Labels(service.GetProperty("metadata").GetProperty("labels"))));
        Assert.Equal([ChartRenderer.Namespace], monitor.GetProperty("spec").GetProperty("namespaceSelector").GetProperty("matchNames").EnumerateArray().Select(n => n.GetString()));
        var endpoint = Assert.Single(monitor.GetProperty("spec").GetProperty("endpoints").EnumerateArray());
        Assert.Equal("metrics", endpoint.GetProperty("port").GetString());
        Assert.Equal("/metrics", endpoint.GetProperty("path").GetString());
        Assert.Equal("1m", endpoint.GetProperty("interval").GetString());
        Assert.Equal("10s", endpoint.GetProperty("scrapeTimeout").GetString());
    }

    [Fact]
    public void Render_PodMonitor_ScrapesTheAgentsNamedPortWithoutAService()
    {
        var chart = ChartRenderer.Render(sets: ["metrics.podMonitor.enabled=true", "metrics.podMonitor.scrapeTimeout=5s"]);

        Assert.DoesNotContain(chart.KindsAndNames, k => k.Kind is "Service" or "ServiceMonitor");
        var monitor = chart.Single("PodMonitor");
        Assert.Equal(SelectorLabels, Labels(monitor.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels")));
        var endpoint = Assert.Single(monitor.GetProperty("spec").GetProperty("podMetricsEndpoints").EnumerateArray());
        Assert.Equal("health", endpoint.GetProperty("port").GetString());
        Assert.Equal("/metrics", endpoint.GetProperty("path").GetString());
        Assert.Equal("5s", endpoint.GetProperty("scrapeTimeout").GetString());
        Assert.Equal("node", endpoint.GetProperty("relabelings")[0].GetProperty("targetLabel").GetString());
    }

    [Fact]
    public void Render_BothMonitors_FailsNamingTheTwoValues()
    {
        var result = ChartRenderer.Run(null, ["metrics.serviceMonitor.enabled=true", "metrics.podMonitor.enabled=true"], "json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("metrics.serviceMonitor and metrics.podMonitor are both enabled", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MonitorIntervalNotADuration_IsRefusedByTheSchema()
    {
        var result = ChartRenderer.Run(null, ["metrics.podMonitor.interval=often"], "json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("metrics.podMonitor.interval", result.Errors, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> PodAnnotations(RenderedChart chart) =>
        chart.DaemonSet.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("annotations").EnumerateObject()
            .ToDictionary(a => a.Name, a => a.Value.GetString()!);

    private static string[] Labels(JsonElement map) => map.EnumerateObject().Select(l => $"{l.Name}={l.Value.GetString()}").Order(StringComparer.Ordinal).ToArray();
}

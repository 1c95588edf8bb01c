using System.Text;
using Sluice.Agent.Capture;

namespace Sluice.Agent.Tests.Capture;

public sealed class CaptureMetricsTests
{
    [Fact]
    public void Render_ListsEveryStateAndEachOutcomeByModeReasonAndResult()
    {
        var metrics = new CaptureMetrics();
        metrics.CountRepair(RepairMode.Repair, "absent", "success");
        metrics.CountRepair(RepairMode.Repair, "absent", "success");
        metrics.CountRepair(RepairMode.Label, "validation-failed", "failure");
        metrics.SetStates([CaptureState.Captured, CaptureState.Captured, CaptureState.Missing, CaptureState.NotNeeded]);
        var text = new StringBuilder();

        metrics.Render(text);

        var lines = text.ToString().Split('\n');
        Assert.Contains("sluice_capture_repairs_total{mode=\"repair\",reason=\"absent\",result=\"success\"} 2", lines);
        Assert.Contains("sluice_capture_repairs_total{mode=\"label\",reason=\"validation-failed\",result=\"failure\"} 1", lines);
        Assert.Contains("sluice_capture_pods{state=\"captured\"} 2", lines);
        Assert.Contains("sluice_capture_pods{state=\"missing\"} 1", lines);
        Assert.Contains("sluice_capture_pods{state=\"pending\"} 0", lines);
        Assert.Contains("sluice_capture_pods{state=\"unknown\"} 0", lines);
        Assert.Contains("sluice_capture_pods{state=\"not_needed\"} 1", lines);
        Assert.Contains("# TYPE sluice_capture_repairs_total counter", lines);
        Assert.Contains("# TYPE sluice_capture_pods gauge", lines);
    }

    [Fact]
    public void SetStates_ReplacesTheEarlierCounts()
    {
        var metrics = new CaptureMetrics();
        metrics.SetStates([CaptureState.Missing]);

        metrics.SetStates([CaptureState.Captured]);

        Assert.Equal(0, metrics.Pods(CaptureState.Missing));
        Assert.Equal(1, metrics.Pods(CaptureState.Captured));
    }
}

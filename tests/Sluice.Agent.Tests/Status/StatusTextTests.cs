using Sluice.Agent.Status;

namespace Sluice.Agent.Tests.Status;

public sealed class StatusTextTests
{
    private static string Render(PodMtuStatus? mtu) =>
        StatusText.Render(new NodeStatus { Node = "node-a", Agent = new LiveStatus { Ready = true, PodMtu = mtu } }, colour: false, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Render_PodMtu_ShowsTheValueAndWhereItCameFrom()
    {
        var text = Render(new PodMtuStatus { Value = 1400, Source = "1400 from eth1, which holds 10.0.0.2" });

        Assert.Contains("pod MTU        1400 from eth1, which holds 10.0.0.2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PodMtuWithAWarning_ShowsTheWarningBelow()
    {
        var text = Render(new PodMtuStatus { Source = "none: sluice-bridge's default", Warning = "no link holds 203.0.113.7" });

        Assert.Contains("pod MTU        none: sluice-bridge's default\n               no link holds 203.0.113.7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutsidePrimaryNetworkMode_HasNoPodMtuLine() => Assert.DoesNotContain("pod MTU", Render(null), StringComparison.Ordinal);
}

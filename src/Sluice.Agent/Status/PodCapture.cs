using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>One pod on this node and its capture state, with the reason in words.</summary>
public sealed class PodCapture
{
    public static JsonShape<PodCapture> Shape { get; } = new JsonShape<PodCapture>(() => new PodCapture(), KeyMatch.Exact)
        .Text("namespace", p => p.Namespace, (p, v) => p.Namespace = v ?? "")
        .Text("name", p => p.Name, (p, v) => p.Name = v ?? "")
        .Text("capture", p => p.State.Text(), (p, v) => p.State = CaptureStates.Parse(v))
        .Text("reason", p => p.Reason, (p, v) => p.Reason = v ?? "");

    public string Namespace { get; set; } = "";

    public string Name { get; set; } = "";

    public CaptureState State { get; set; }

    public string Reason { get; set; } = "";
}

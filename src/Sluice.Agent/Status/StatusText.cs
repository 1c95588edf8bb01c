using System.Globalization;
using System.Text;

namespace Sluice.Agent.Status;

/// <summary>
/// The status for a person: one block per subject under a label column, lists aligned, problems
/// in red, good states in green, when <paramref name="colour"/> (a terminal and no NO_COLOR).
/// </summary>
public sealed class StatusText(bool colour, DateTimeOffset now)
{
    private const int LabelWidth = 15;

    private readonly StringBuilder _text = new();

    public static string Render(NodeStatus status, bool colour, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StatusText(colour, now);
        text.Header(status);
        text.Conflist(status.Conflist);
        text.Binaries(status.Binaries);
        text.Kubeconfig(status.Kubeconfig);
        text.Live(status.Agent);
        return text._text.ToString();
    }

    private void Header(NodeStatus status)
    {
        Line("node", $"{status.Node ?? "(NODE_NAME not set)"}  {Dim($"sluice-agent {status.Version}")}");
        Line("agent", status.Agent switch
        {
            null => Red("not answering") + ": " + status.AgentNotAnsweringBecause,
            { Ready: true } => Green("ready"),
            { } agent => Red("not ready") + ": " + Safe(agent.NotReadyBecause),
        });
    }

    private void Conflist(ConflistStatus conflist)
    {
        Line("conflist", conflist.Path is null ? Red(conflist.Problem ?? "none") : $"{conflist.Path}  [{Safe(string.Join(", ", conflist.Plugins))}]");
        if (conflist.Path is not null)
        {
            More(conflist.Problem is { } problem ? Red(problem) : conflist.Place ?? "");
        }
    }

    private void Binaries(List<BinaryStatus> binaries)
    {
        if (binaries.Count == 0)
        {
            Line("binaries", Red("none found"));
            return;
        }

        var width = binaries.Max(b => b.State.Length);
        for (var i = 0; i < binaries.Count; i++)
        {
            var state = binaries[i].State.PadRight(width);
            Line(i == 0 ? "binaries" : "", $"{(binaries[i].IsProblem ? Red(state) : Green(state))}  {binaries[i].Path}");
        }
    }

    private void Kubeconfig(KubeconfigStatus kubeconfig)
    {
        Line("kubeconfig", kubeconfig.Path);
        if (kubeconfig.Server is { } server)
        {
            More($"server {server}, " + (kubeconfig.TokenExpires is { } expires ? $"token expires {Expiry(expires)}" : kubeconfig.Credential));
        }

        if (kubeconfig.Problem is { } problem)
        {
            More(Red(problem));
        }
    }

    private void Live(LiveStatus? agent)
    {
        if (agent is null)
        {
            Line("pods", Dim("unknown (no agent answered)"));
            return;
        }

        Pods(agent);
        if (agent.PodMtu is { } mtu)
        {
            Line("pod MTU", Safe(mtu.Source));
            if (mtu.Warning is { } warning)
            {
                More(Yellow(Safe(warning)));
            }
        }

        if (agent.Routes is { } routes)
        {
            Line("routes", routes.Count == 0 ? "none (no other node has pod CIDRs)" : routes[0].ToString());
            routes.Skip(1).ToList().ForEach(r => More(r.ToString()));
            (agent.RouteProblems ?? []).ForEach(p => More(Yellow(p)));
        }

        Line("plugin errors", agent.PluginErrors.Count == 0 ? Green("none") : Error(agent.PluginErrors[^1]));
        agent.PluginErrors.AsEnumerable().Reverse().Skip(1).ToList().ForEach(e => More(Error(e)));
    }

    private void Pods(LiveStatus agent)
    {
        if (agent.Pods is not { } pods)
        {
            Line("pods", Dim("unknown: " + agent.PodsUnknownBecause));
            return;
        }

        Line("pods", string.Create(CultureInfo.InvariantCulture, $"{pods.Count} on this node, {pods.Count(p => p.State is CaptureState.NeedsCapture or CaptureState.Captured or CaptureState.Repaired or CaptureState.Pending or CaptureState.Missing)} captured or to capture"));
        var stateWidth = pods.Select(p => p.State.Text().Length).DefaultIfEmpty(0).Max();
        var nameWidth = pods.Select(p => p.Namespace.Length + 1 + p.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var pod in pods)
        {
            More($"{State(pod.State, pod.State.Text().PadRight(stateWidth))}  {Safe($"{pod.Namespace}/{pod.Name}").PadRight(nameWidth)}  {Dim(Safe(pod.Reason))}");
        }
    }

    private string State(CaptureState state, string text) => state switch
    {
        CaptureState.Invalid or CaptureState.Missing => Red(text),
        CaptureState.Repaired or CaptureState.Unknown or CaptureState.Pending => Yellow(text),
        CaptureState.NotNeeded => text,
        _ => Green(text),
    };

    private string Error(PluginError error) =>
        $"{Dim(error.Time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture))} {error.Plugin}{(error.Command is null ? "" : " " + error.Command)}{(error.Pod is null ? "" : " pod=" + error.Pod)}: {Red(error.Message)}";

    private string Expiry(DateTimeOffset expires)
    {
        var left = expires - now;
        var when = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return left < TimeSpan.Zero ? Red($"{when} (expired)")
            : left < TimeSpan.FromMinutes(10) ? Yellow($"{when} (in {left.TotalMinutes:0} min)")
            : string.Create(CultureInfo.InvariantCulture, $"{when} (in {(left.TotalHours >= 2 ? $"{left.TotalHours:0} h" : $"{left.TotalMinutes:0} min")})");
    }

    /// <summary>Text from pods, files or the agent, with control characters escaped: nothing it holds can drive the terminal.</summary>
    private static string Safe(string? text) => Sluice.Cni.Logging.LogText.Escape(text ?? "");

    private void Line(string label, string text) => _text.Append(label.PadRight(LabelWidth)).Append(text).Append('\n');

    private void More(string text) => Line("", text);

    private string Red(string text) => Paint("31", text);

    private string Green(string text) => Paint("32", text);

    private string Yellow(string text) => Paint("33", text);

    private string Dim(string text) => Paint("2", text);

    private string Paint(string code, string text) => colour && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Cni;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// sluice-redirect fails closed, within its configured podLookup bound, whatever goes wrong with
/// the API server: an error object (102, naming the pod), no rule in the pod. One table with the
/// bound asserted for every row. RedirectProcessTests already proves the messages for 401, 403,
/// 404, 500, 503, slow, malformed and a rotated token one by one (and the bound only for "slow");
/// this adds the server being down and the connection dropped, and the bound everywhere.
/// </summary>
public sealed class RedirectApiFaultTests
{
    private const int TotalMs = 2500;

    /// <summary>Process start, TLS and a loaded 2-core machine; not a performance claim.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private static readonly string PodLookup = $$"""{"timeoutMs":1000,"attempts":3,"totalMs":{{TotalMs}}}""";

    [RootTheory]
    [InlineData("server-down", "")]
    [InlineData("slow-beyond-timeout", "timed out")]
    [InlineData("401-after-token-rotation", "401")]
    [InlineData("malformed-json", "not a valid Pod")]
    [InlineData("connection-dropped", "")]
    public async Task ApiFault_FailsTheAddClosedWithinThePodLookupBound(string fault, string expectedInMessage)
    {
        using var lab = new NodeLab();
        var pod = lab.NewPod();
        await using var api = await FakeKubeApi.StartAsync(lab.NodeNs);
        api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var tokenFile = api.WriteTokenFile(Path.Combine(lab.Directory, "token"));
        var kubeconfig = api.WriteKubeconfig(Path.Combine(lab.Directory, "kubeconfig"), tokenFile: tokenFile, inlineToken: false);
        var podBefore = NetnsSnapshot.Take(pod);
        switch (fault)
        {
            case "server-down":
                // A server that was there and is gone: its port refuses connections.
                await using (var gone = await FakeKubeApi.StartAsync(lab.NodeNs))
                {
                    kubeconfig = gone.WriteKubeconfig(Path.Combine(lab.Directory, "kubeconfig-gone"));
                }

                break;
            case "slow-beyond-timeout":
                api.ResponseDelay = TimeSpan.FromSeconds(20);
                break;
            case "401-after-token-rotation":
                api.Token = "fake-token-rotated";
                break;
            case "malformed-json":
                api.SetPod("shop", "reviews", """{"kind":"Pod","metadata":{"name":"reviews",""");
                break;
            case "connection-dropped":
                api.DropNext(100);
                break;
        }

        var config = NodeLab.WithPrevResult(NodeLab.RedirectConfig(kubeconfig, PodLookup), PrevResult(pod.Path));
        var watch = Stopwatch.StartNew();
        var add = lab.Run("sluice-redirect", NodeLab.Env("ADD", "sandbox", pod.Path, args: NodeLab.PodArgs), config, timeout: TimeSpan.FromSeconds(30));
        var elapsed = watch.Elapsed;
        var rulesLeft = NetnsSnapshot.Take(pod) != podBefore;
        Figures.Report($"redirect-api-{fault}", [("runs", 1), ("exit", add.ExitCode), ("elapsed_ms", elapsed.TotalMilliseconds), ("bound_ms", TotalMs + Margin.TotalMilliseconds), ("leaks", rulesLeft ? 1 : 0), ("crashes", add.ExitCode >= PluginRun.SignalBase ? 1 : 0)]);

        Assert.True(add.ExitCode is > 0 and < PluginRun.SignalBase, add.ToString());
        var error = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(SluiceErrorCode.KubernetesUnavailable, (int)error["code"]!);
        var message = (string)error["msg"]! + " " + (string?)error["details"];
        Assert.Contains("shop/reviews", message, StringComparison.Ordinal);
        Assert.Contains(expectedInMessage, message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", add.Stderr, StringComparison.Ordinal);
        Assert.False(rulesLeft, "rules in the pod after a failed ADD");
        Assert.True(elapsed <= TimeSpan.FromMilliseconds(TotalMs) + Margin, $"{fault}: took {elapsed.TotalMilliseconds:F0} ms, bound {TotalMs} ms + {Margin.TotalMilliseconds:F0} ms");
    }

    private static string PrevResult(string sandbox) =>
        $$$"""{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:2d:00:07","sandbox":"{{{sandbox}}}"}],"ips":[{"address":"10.52.0.7/22","gateway":"10.52.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""";
}

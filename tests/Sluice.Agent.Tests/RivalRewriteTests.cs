using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Agent.Tests;

/// <summary>
/// Another component (a primary CNI's own agent) keeps rewriting the configuration without our
/// entry while the runtime keeps reading it: the runtime must never read a file that is not
/// valid JSON, and our entry must be there once the rival stops.
/// </summary>
public sealed class RivalRewriteTests : IDisposable
{
    private const string RivalList = """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"calico","ipam":{"type":"calico-ipam"}},{"type":"portmap","capabilities":{"portMappings":true}}]}""";

    private readonly TempDirectory _dir = new("rival");

    public void Dispose() => _dir.Dispose();

    private string Primary => _dir.Combine("net.d", "10-calico.conflist");

    [Fact]
    public async Task RivalRewriting200Times_ReaderParsing1000Times_AlwaysValidJsonAndOurEntryLastAtTheEnd()
    {
        Directory.CreateDirectory(_dir.Combine("net.d"));
        File.WriteAllText(Primary, RivalList);
        var host = TestHosts.Create(_dir, TextWriter.Null);
        using var stop = new CancellationTokenSource();
        var agent = new Thread(() => host.Run(stop.Token)) { IsBackground = true };
        agent.Start();

        // The rival starts once the agent has put its entry in: its rewrites then remove an entry
        // the agent installed, whichever of the two the machine schedules first afterwards.
        var installed = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!HasOurEntryLast() && DateTime.UtcNow < installed)
        {
            Thread.Sleep(5);
        }

        Assert.True(HasOurEntryLast(), "the agent did not install its entry within 10 s");
        var rival = Task.Run(
            () =>
        {
            for (var i = 0; i < 200; i++)
            {
                // As installers do: a temporary file renamed over the old one.
                var temporary = Primary + $".tmp{i}";
                File.WriteAllText(temporary, RivalList);
                File.Move(temporary, Primary, overwrite: true);
                Thread.Sleep(2);
            }
        },
            TestContext.Current.CancellationToken);
        var invalid = new List<string>();
        for (var read = 0; read < 1000; read++)
        {
            var text = File.ReadAllText(Primary);
            try
            {
                JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                invalid.Add(text);
            }
        }

        await rival;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!HasOurEntryLast() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        var entryAtTheEnd = HasOurEntryLast();
        stop.Cancel();
        agent.Join(TimeSpan.FromSeconds(10));
        Assert.Empty(invalid);
        Assert.True(entryAtTheEnd, "our entry was not back after the rival stopped");
        Assert.True(host.Counters.Reinstalls > 0, "the agent never had to put its entry back: the rival did not race it");
        Assert.True(HasOurEntryLast(), "the entry went when the agent stopped");
        Assert.Empty(host.Uninstall());
        Assert.Equal(RivalList, JsonNode.Parse(File.ReadAllText(Primary))!.ToJsonString());
    }

    private bool HasOurEntryLast()
    {
        try
        {
            var plugins = JsonNode.Parse(File.ReadAllText(Primary))!["plugins"]!.AsArray();
            return (string?)plugins[^1]!["type"] == "sluice-redirect" && plugins.Count(p => (string?)p!["type"] == "sluice-redirect") == 1;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

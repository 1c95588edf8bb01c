using Sluice.Agent.Settings;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests;

/// <summary>An agent host on host-like directories under a test's temporary directory (bin, net.d, src, run), with an API server it never needs to reach.</summary>
internal static class TestHosts
{
    public static AgentHost Create(TempDirectory dir, TextWriter log, string? runDir = null, params string[] extra)
    {
        Directory.CreateDirectory(dir.Combine("src"));
        var settings = AgentSettings.Parse(
            ["--cni-bin-dir", dir.Combine("bin"), "--cni-conf-dir", dir.Combine("net.d"), "--source-dir", dir.Combine("src"), "--run-dir", runDir ?? dir.Combine("run"), .. extra],
            new Dictionary<string, string>(),
            TextWriter.Null)!;
        var config = new KubeConfig { Server = "https://10.96.0.1:443", Token = "t", InsecureSkipTlsVerify = true };
        return new AgentHost(settings, new AgentLog(log, "info"), () => config);
    }
}

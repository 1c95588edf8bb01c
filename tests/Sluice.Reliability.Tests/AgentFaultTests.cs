using System.Diagnostics;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// The published sluice-agent on a broken node: the CNI configuration directory missing, the bin
/// directory read-only, the bin directory full. Each time: a log line naming the path and the
/// cause, /readyz 503 with the reason, recovery once the fault is fixed, and nothing corrupted (no
/// partial binary under its final name, no temporary file left holding space).
/// </summary>
public sealed class AgentFaultTests
{
    [RootFact]
    public async Task ConfDirMissing_KeepsTheAgentUnreadyNamingIt_AndItChainsOnceTheDirAppears()
    {
        await using var rig = await AgentRig.CreateAsync(withConfDir: false);
        var watch = Stopwatch.StartNew();
        rig.Start();

        await rig.UntilAsync(async () => await rig.ReadyzAsync() is (503, var body) && body.Contains(rig.ConfDir, StringComparison.Ordinal), "/readyz 503 naming the missing conf dir");
        Assert.Contains(rig.ConfDir, rig.Log, StringComparison.Ordinal);
        Assert.True(AgentRig.SameContent(rig.SourceBinary, rig.InstalledBinary), "the binaries do not wait for the configuration");

        rig.WritePrimary();
        var recovery = await rig.UntilAsync(async () => (await rig.ReadyzAsync()).Status == 200, "ready once the conf dir and the primary configuration exist");
        Assert.Contains("sluice-redirect", File.ReadAllText(rig.Primary), StringComparison.Ordinal);
        Assert.Equal(0, rig.Crashes);
        Figures.Report("agent-conf-dir-missing", [("runs", 1), ("recovery_ms", recovery.TotalMilliseconds), ("leaks", AgentRig.TempFiles(rig.BinDir).Count), ("crashes", rig.Crashes), ("duration", watch.Elapsed)]);
    }

    [RootFact]
    public async Task ReadOnlyBinDir_MakesTheAgentUnreadyNamingPathAndCause_AndItInstallsOnceWritable()
    {
        await using var rig = await AgentRig.CreateAsync();
        rig.MountTmpfs(rig.BinDir, "64m");
        AgentRig.Remount(rig.BinDir, "ro");
        var watch = Stopwatch.StartNew();
        rig.Start();

        var reason = "";
        await rig.UntilAsync(async () => (reason = (await rig.ReadyzAsync()).Body).Contains("read-only file system", StringComparison.OrdinalIgnoreCase), "/readyz naming the read-only file system");
        Assert.Contains(rig.BinDir, reason, StringComparison.Ordinal);
        await rig.UntilAsync(() => Task.FromResult(rig.Log.Contains("read-only file system", StringComparison.OrdinalIgnoreCase)), "the log naming the cause");
        Assert.Contains(rig.BinDir, rig.Log, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(rig.BinDir));

        AgentRig.Remount(rig.BinDir, "rw");
        var recovery = await rig.UntilAsync(async () => (await rig.ReadyzAsync()).Status == 200, "ready once the bin dir is writable");
        Assert.True(AgentRig.SameContent(rig.SourceBinary, rig.InstalledBinary), "the installed binary differs from the source");
        Assert.Empty(AgentRig.TempFiles(rig.BinDir));
        Figures.Report("agent-bin-dir-read-only", [("runs", 1), ("recovery_ms", recovery.TotalMilliseconds), ("leaks", AgentRig.TempFiles(rig.BinDir).Count), ("crashes", rig.Crashes), ("duration", watch.Elapsed)]);
    }

    [RootFact]
    public async Task FullBinDir_LeavesNoPartialFile_AndTheAgentInstallsOnceThereIsSpace()
    {
        await using var rig = await AgentRig.CreateAsync();

        // 1 MiB: the 15 MB binary cannot fit.
        rig.MountTmpfs(rig.BinDir, "1m");
        var watch = Stopwatch.StartNew();
        rig.Start();

        await rig.UntilAsync(async () => (await rig.ReadyzAsync()).Body.Contains("no space left on device", StringComparison.OrdinalIgnoreCase), "/readyz naming the full disk");
        Assert.Contains(rig.BinDir, (await rig.ReadyzAsync()).Body, StringComparison.Ordinal);
        Assert.Contains("no space left on device", rig.Log, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(rig.BinDir, rig.Log, StringComparison.Ordinal);

        // Over a few passes (one at least every 2 s): never a file under the final name, and no
        // temporary file that outlives its pass (each pass uses a new name) or keeps the space.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lingering = new List<string>();
        for (var sample = 0; sample < 6; sample++)
        {
            Assert.False(File.Exists(rig.InstalledBinary), "a partial binary under its final name");
            var now = AgentRig.TempFiles(rig.BinDir);
            lingering.AddRange(now.Where(seen.Contains));
            seen.UnionWith(now);
            await Task.Delay(700, TestContext.Current.CancellationToken);
        }

        Assert.Empty(lingering);
        // Between passes the failed copy's space comes back: a pass that is copying right now holds
        // it under a temporary name for a moment, an open descriptor of a deleted file would hold it for good.
        long Used() => new DriveInfo(rig.BinDir) is var drive ? drive.TotalSize - drive.AvailableFreeSpace : 0;
        await rig.UntilAsync(() => Task.FromResult(Used() < 256 * 1024), $"the bin dir's space back between passes ({Used()} bytes in use)");

        AgentRig.Remount(rig.BinDir, "size=64m");
        var recovery = await rig.UntilAsync(async () => (await rig.ReadyzAsync()).Status == 200, "ready once there is space");
        Assert.True(AgentRig.SameContent(rig.SourceBinary, rig.InstalledBinary), "the installed binary differs from the source");
        Assert.Empty(AgentRig.TempFiles(rig.BinDir));
        Figures.Report("agent-bin-dir-full", [("runs", 1), ("samples", 6), ("lingering_temp_files", lingering.Count), ("leaks", lingering.Count), ("crashes", rig.Crashes), ("recovery_ms", recovery.TotalMilliseconds), ("duration", watch.Elapsed)]);
    }

    [RootFact]
    public async Task TemporaryCopyLeftByAKilledAgent_IsRemovedSoTheBinaryFitsOnASmallBinDir()
    {
        await using var rig = await AgentRig.CreateAsync();

        // Room for one binary, not for one and the 12 MiB half-copy a SIGKILLed agent left ten minutes ago.
        rig.MountTmpfs(rig.BinDir, "24m");
        var stale = Path.Combine(rig.BinDir, ".sluice-redirect.tmp-1f-2a3b4c");
        File.WriteAllBytes(stale, new byte[12 << 20]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromMinutes(10));
        var watch = Stopwatch.StartNew();
        rig.Start();

        var recovery = await rig.UntilAsync(async () => (await rig.ReadyzAsync()).Status == 200, "ready: the stale copy removed and the binary installed");
        Assert.False(File.Exists(stale), "the stale temporary copy is still there");
        Assert.True(AgentRig.SameContent(rig.SourceBinary, rig.InstalledBinary), "the installed binary differs from the source");
        Assert.Empty(AgentRig.TempFiles(rig.BinDir));
        Figures.Report("agent-stale-temp-copy", [("runs", 1), ("leaks", AgentRig.TempFiles(rig.BinDir).Count), ("crashes", rig.Crashes), ("ready_ms", recovery.TotalMilliseconds), ("duration", watch.Elapsed)]);
    }
}

using Sluice.Agent.Install;
using Sluice.Agent.Settings;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>
/// One binary in one CNI bin directory, compared with this agent's own copy (SOURCE_DIR) as the
/// installer compares them (size and modification time): <c>current</c>, <c>differs</c> (another
/// version, until the agent's next pass), <c>missing</c>; <c>installed</c> when there is no copy to compare with.
/// </summary>
public sealed class BinaryStatus
{
    public static JsonShape<BinaryStatus> Shape { get; } = new JsonShape<BinaryStatus>(() => new BinaryStatus(), KeyMatch.Exact)
        .Text("path", b => b.Path, (b, v) => b.Path = v ?? "")
        .Text("state", b => b.State, (b, v) => b.State = v ?? "")
        .Int64("bytes", b => b.Bytes, (b, v) => b.Bytes = v);

    public string Path { get; set; } = "";

    public string State { get; set; } = "";

    public long? Bytes { get; set; }

    public bool IsProblem => State is "missing" or "differs";

    /// <summary>Every binary of the agent's source directory in every bin directory; without a source directory, the <c>sluice*</c> files found there.</summary>
    public static List<BinaryStatus> Read(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var haveSource = Directory.Exists(settings.SourceDir);
        var names = haveSource
            ? new BinaryInstaller(settings.SourceDir, settings.CniBinDirs).Names()
            : settings.CniBinDirs.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "sluice*")).Select(p => System.IO.Path.GetFileName(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var found = new List<BinaryStatus>();
        foreach (var dir in settings.CniBinDirs)
        {
            foreach (var name in names)
            {
                var installed = new FileInfo(System.IO.Path.Combine(dir, name));
                var source = haveSource ? new FileInfo(System.IO.Path.Combine(settings.SourceDir, name)) : null;
                found.Add(new BinaryStatus
                {
                    Path = installed.FullName,
                    Bytes = installed.Exists ? installed.Length : null,
                    State = !installed.Exists ? "missing"
                        : source is null ? "installed"
                        : source.Length == installed.Length && source.LastWriteTimeUtc == installed.LastWriteTimeUtc ? "current"
                        : "differs",
                });
            }
        }

        return found;
    }
}

using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux.Files;

namespace Sluice.Redirect;

/// <summary>
/// The records of the sandboxes sluice-redirect has seen on this node: one file per container ID
/// in <c>sandboxes/</c> next to the agent's socket (the agent's run directory), written
/// atomically at ADD (root only), removed at DEL. sluice-agent reads them to find a pod's network
/// namespace without searching. A record that cannot be written costs the pod nothing: the agent
/// then finds the namespace by the pod's addresses.
/// </summary>
public static class SandboxRecords
{
    public const string DirectoryName = "sandboxes";

    private const string Extension = ".json";

    /// <summary>The directory for an agent socket path; null when agent lookups are off (no run directory).</summary>
    public static string? DirectoryFor(string? agentSocket) =>
        agentSocket is null || Path.GetDirectoryName(agentSocket) is not { Length: > 0 } runDir ? null : Path.Combine(runDir, DirectoryName);

    /// <summary>ADD: records the sandbox of a Kubernetes pod; a failure is logged, never raised.</summary>
    internal static void Remember(CniRequest<RedirectSettings> request, RedirectSettings settings)
    {
        if (PodReference.From(request.Env.Args) is not { } pod || PathFor(settings, request.Env.ContainerId) is not { } path)
        {
            return;
        }

        try
        {
            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(Path.GetDirectoryName(directory)))
            {
                request.Log.Debug($"no sluice-agent run directory {Path.GetDirectoryName(directory)}: the sandbox is not recorded");
                return;
            }

            var record = new SandboxRecord(request.Env.ContainerId, request.Env.NetNs, pod.Namespace, pod.Name, NonEmpty(request.Env.Args.Get(CniArgs.PodUid)));
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            DurableFile.Write(path, record.ToJson(), FileSync.None, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            request.Log.Warn($"could not record the sandbox for sluice-agent in {path}: {error.Message}");
        }
    }

    /// <summary>DEL: removes the record; a missing one, or a configuration that names no run directory, is fine.</summary>
    internal static void Forget(CniRequest<RedirectSettings> request)
    {
        try
        {
            if (PathFor(request.Settings, request.Env.ContainerId) is { } path)
            {
                File.Delete(path);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            request.Log.Warn($"could not remove the sandbox record of {request.Env.ContainerId}: {error.Message}");
        }
    }

    /// <summary>Every record in <paramref name="directory"/> (none when it does not exist); files that are not records are reported through <paramref name="skipped"/>.</summary>
    public static IReadOnlyList<SandboxRecord> ReadAll(string directory, Action<string, string>? skipped = null)
    {
        var records = new List<SandboxRecord>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, "*" + Extension).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return records;
        }

        foreach (var file in files)
        {
            try
            {
                using var handle = File.OpenHandle(file);
                var buffer = new byte[SandboxRecord.MaxBytes + 1];
                var length = RandomAccess.Read(handle, buffer, 0);
                var record = SandboxRecord.Parse(buffer.AsSpan(0, length), out var problem);
                if (record is not null && Path.GetFileName(file) == record.ContainerId + Extension)
                {
                    records.Add(record with { Written = File.GetLastWriteTimeUtc(handle) });
                }
                else
                {
                    skipped?.Invoke(file, problem ?? "its name is not its container ID");
                }
            }
            catch (Exception error) when (error is FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                // Removed by a DEL since the listing, or unreadable: the agent searches by address instead.
                if (error is not FileNotFoundException)
                {
                    skipped?.Invoke(file, error.Message);
                }
            }
        }

        return records;
    }

    /// <summary>Removes the record of <paramref name="containerId"/> from <paramref name="directory"/> (the agent prunes records whose namespace is gone).</summary>
    public static void Remove(string directory, string containerId)
    {
        if (SandboxRecord.IsValidContainerId(containerId))
        {
            File.Delete(Path.Combine(directory, containerId + Extension));
        }
    }

    private static string? PathFor(RedirectSettings settings, string containerId) =>
        DirectoryFor(settings.AgentSocket) is { } directory && SandboxRecord.IsValidContainerId(containerId)
            ? Path.Combine(directory, containerId + Extension)
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

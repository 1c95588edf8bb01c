namespace Sluice.Cni;

/// <summary>
/// The container runtime that exec'd this plugin, as far as the process tree tells: the
/// executable of the parent process. Runtimes exec their chain's plugins themselves (libcni), so a
/// plugin called directly by CRI-O has the <c>crio</c> executable as its parent; called through
/// a meta-plugin that delegates, or after the runtime died, the parent is something else and nothing is
/// recognised. Used only to skip a wait, never to loosen a check.
/// </summary>
public static class CallingRuntime
{
    /// <summary>Whether the parent process runs CRI-O's executable, <c>crio</c>.</summary>
    public static bool IsCriO() => ParentExecutableName() == "crio";

    /// <summary>The file name of the parent process's executable; null when it cannot be read.</summary>
    public static string? ParentExecutableName()
    {
        try
        {
            return Sluice.Linux.Files.ProcFiles.ReadOrNull("/proc/self/stat") is { } stat &&
                ParentOf(stat) is { } parent &&
                new FileInfo($"/proc/{parent}/exe").LinkTarget is { } target
                ? ExecutableName(target)
                : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            return null;
        }
    }

    /// <summary>
    /// The parent process ID from the text of <c>/proc/PID/stat</c>: the field after the state,
    /// which follows the command name in parentheses (a name that may itself hold spaces and
    /// parentheses, so the last one closes it). Null when the text does not have that shape.
    /// </summary>
    public static int? ParentOf(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && int.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parent) && parent > 0
            ? parent
            : null;
    }

    /// <summary>
    /// The file name in a <c>/proc/PID/exe</c> link's target, without the <c> (deleted)</c> the
    /// kernel appends when the file was replaced since (a runtime upgraded in place).
    /// </summary>
    public static string ExecutableName(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        const string Deleted = " (deleted)";
        var path = target.EndsWith(Deleted, StringComparison.Ordinal) ? target[..^Deleted.Length] : target;
        return Path.GetFileName(path);
    }
}

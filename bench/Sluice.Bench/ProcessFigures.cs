using System.Globalization;

namespace Sluice.Bench;

/// <summary>A process's CPU time and memory from /proc, for the agent benchmarks.</summary>
internal static class ProcessFigures
{
    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms).</summary>
    public static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>A kiB figure of /proc/PID/status (VmRSS, VmHWM).</summary>
    public static long StatusKib(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

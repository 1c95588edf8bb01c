using System.Globalization;
using System.Text;

namespace Sluice.Bench;

/// <summary>Collects result rows and writes them as a Markdown table (stdout and bench/results/NAME.md).</summary>
internal sealed class Report(string name, string title)
{
    private readonly List<string[]> _rows = [];

    public void Row(params string[] cells) => _rows.Add(cells);

    public static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The machine's 1-minute load average (/proc/loadavg), to state what else ran during a benchmark.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    public void Write(string[] header, string notes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine().AppendLine(notes);
        Console.WriteLine(text);
        var directory = Path.Combine(Sluice.TestSupport.RepoPaths.Root, "bench", "results");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".md"), text.ToString());
    }
}

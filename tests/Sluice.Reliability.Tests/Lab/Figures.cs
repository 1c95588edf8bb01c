using System.Globalization;
using System.Text;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// Each test's figures (runs, leaks, crashes, durations): to the test's diagnostic messages, to
/// artifacts/reliability/TEST.txt, and one line per test to artifacts/reliability/summary.txt (started afresh by each run).
/// </summary>
internal static class Figures
{
    private static readonly Lock SummaryLock = new();
    private static bool SummaryStarted;

    public static string Directory => Path.Combine(RepoPaths.Root, "artifacts", "reliability");

    public static void Report(string test, IEnumerable<(string Name, object Value)> figures, string? details = null)
    {
        var line = string.Join(' ', figures.Select(f => $"{f.Name}={Format(f.Value)}"));
        TestContext.Current.SendDiagnosticMessage($"{test}: {line}");
        System.IO.Directory.CreateDirectory(Directory);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var text = new StringBuilder().Append(stamp).Append(' ').Append(test).Append(": ").Append(line).Append('\n');
        if (details is not null)
        {
            text.Append(details.TrimEnd()).Append('\n');
        }

        File.WriteAllText(Path.Combine(Directory, test + ".txt"), text.ToString());
        lock (SummaryLock)
        {
            // One summary per run of the suite: the first report of this process starts it afresh.
            var summary = Path.Combine(Directory, "summary.txt");
            if (!SummaryStarted)
            {
                File.WriteAllText(summary, "");
                SummaryStarted = true;
            }

            File.AppendAllText(summary, $"{stamp} {test}: {line}\n");
        }
    }

    private static string Format(object value) => value switch
    {
        TimeSpan span => span.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + "s",
        double number => number.ToString("F1", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

using System.Globalization;
using System.Text;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// The bookkeeping of one fault-injection test: the ADD's duration measured first, then runs
/// killed with SIGKILL after a seeded random delay in that range, and what was found after the
/// runtime's DEL and GC.
/// </summary>
internal sealed class KillCampaign(string name, int runs, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<TimeSpan> _measured = [];
    private readonly StringBuilder _problems = new();
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

    public int Runs => runs;

    public int Killed { get; private set; }

    public int Finished { get; private set; }

    public int Crashes { get; private set; }

    public int Leaks { get; private set; }

    /// <summary>
    /// The upper end of the kill delays: a quarter more than the median undisturbed run (the
    /// first run, with cold caches, can take several times longer and would make most kills late).
    /// </summary>
    public TimeSpan MaxDelay => _measured.Count == 0 ? TimeSpan.Zero : _measured.Order().ElementAt(_measured.Count / 2) * 1.25;

    /// <summary>Runs the undisturbed operation to learn how long it takes (process start included).</summary>
    public void Measure(int times, Func<PluginRun.Outcome> operation)
    {
        for (var i = 0; i < times; i++)
        {
            var outcome = operation();
            Assert.True(outcome.ExitCode == 0, $"{name}: the undisturbed run failed: {outcome}");
            _measured.Add(outcome.Elapsed);
        }
    }

    /// <summary>A delay in [0, <see cref="MaxDelay"/>], drawn from the seeded generator.</summary>
    public TimeSpan NextDelay() => TimeSpan.FromMicroseconds(_random.NextDouble() * MaxDelay.TotalMicroseconds);

    /// <summary>Counts a run: killed mid-way, finished (exit 0), or failed on its own (a finding: nothing but the kill should fail it).</summary>
    public void Count(int run, PluginRun.Outcome outcome)
    {
        if (outcome.Killed)
        {
            Killed++;
        }
        else if (outcome.ExitCode == 0)
        {
            Finished++;
        }
        else
        {
            Problem(run, $"failed without being killed: {outcome}");
            Crashes += outcome.ExitCode >= PluginRun.SignalBase ? 1 : 0;
        }
    }

    /// <summary>Records something left behind (or a cleanup that failed).</summary>
    public void Leak(int run, string what)
    {
        Leaks++;
        Problem(run, what);
    }

    public void Problem(int run, string what)
    {
        ProblemCount++;
        _problems.Append(CultureInfo.InvariantCulture, $"run {run}: {what}\n");
    }

    public string Problems => _problems.ToString();

    public int ProblemCount { get; private set; }

    /// <summary>Reports the figures and asserts the campaign proved something and found nothing.</summary>
    public void ReportAndAssert(TimeSpan freshAdd)
    {
        Figures.Report(name, [
            ("runs", runs), ("killed", Killed), ("finished", Finished), ("leaks", Leaks), ("crashes", Crashes),
            ("problems", ProblemCount), ("max_kill_delay_ms", MaxDelay.TotalMilliseconds),
            ("fresh_add_after_ms", freshAdd.TotalMilliseconds), ("duration", _watch.Elapsed)],
            Problems.Length == 0 ? null : Problems);
        Assert.True(Problems.Length == 0, $"{name}: {Problems}");
        Assert.Equal(0, Leaks);
        Assert.Equal(0, Crashes);

        // A campaign whose kills all came too late (or too early to matter every time) would prove little.
        Assert.True(Killed >= runs / 5, $"{name}: only {Killed} of {runs} runs were killed mid-way");
        Assert.True(Finished >= 1 || Killed == runs, $"{name}: no run finished");
    }
}

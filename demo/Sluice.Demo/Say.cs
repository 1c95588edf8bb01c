namespace Sluice.Demo;

/// <summary>The demo's output: numbered steps in bold, indented lines under them, a check mark for what was proved.</summary>
internal static class Say
{
    private static int StepCount;

    public static void Step(string title) => Console.WriteLine($"\n\u001b[1m== {++StepCount}. {title}\u001b[0m");

    public static void Line(string text)
    {
        foreach (var line in text.TrimEnd().Split('\n'))
        {
            Console.WriteLine($"   {line}");
        }
    }

    public static void Ok(string text) => Console.WriteLine($"   \u001b[32m\u2713\u001b[0m {text}");
}

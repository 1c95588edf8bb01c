using Sluice.Fuzz;

namespace Sluice.Fuzz.Tests;

/// <summary>
/// The fuzz targets' seed corpus (fuzz/corpus/TARGET) and the crashes fuzzing found
/// (fuzz/regressions/TARGET) are accepted or refused with the reader's own error, never an
/// unexpected exception: each finding of a campaign stays a regression test. What the last
/// campaign reached beyond the seeds (fuzz/found/TARGET, `make fuzz KEEP=1`) is replayed too, one
/// case per target: thousands of inputs, each a path the seeds do not take.
/// </summary>
public sealed class FuzzInputTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "corpus", "regressions" })
        {
            var root = Path.Combine(RepoPaths.Root, "fuzz", folder);
            foreach (var target in FuzzTargets.All)
            {
                var dir = Path.Combine(root, target.Name);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(target.Name, Path.GetRelativePath(RepoPaths.Root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_IsAcceptedOrRefusedWithTheReadersOwnError(string target, string file)
    {
        var finding = FuzzRun.Once(FuzzTargets.Find(target)!, File.ReadAllBytes(Path.Combine(RepoPaths.Root, file)));
        Assert.True(finding is null, $"{file}: {finding}");
    }

    public static TheoryData<string> TargetsWithFoundInputs()
    {
        var data = new TheoryData<string>();
        foreach (var target in FuzzTargets.All)
        {
            if (Directory.Exists(FoundDirectory(target.Name)))
            {
                data.Add(target.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetsWithFoundInputs))]
    public void FoundInputs_AreEachAcceptedOrRefusedWithTheReadersOwnError(string target)
    {
        var fuzzTarget = FuzzTargets.Find(target)!;
        var files = Directory.GetFiles(FoundDirectory(target)).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        var findings = files
            .Select(file => (file, finding: FuzzRun.Once(fuzzTarget, File.ReadAllBytes(file))))
            .Where(each => each.finding is not null)
            .Select(each => $"{Path.GetRelativePath(RepoPaths.Root, each.file)}: {each.finding}")
            .ToArray();
        Assert.True(findings.Length == 0, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void EveryTarget_HasSeeds()
    {
        foreach (var target in FuzzTargets.All)
        {
            var dir = Path.Combine(RepoPaths.Root, "fuzz", "corpus", target.Name);
            Assert.True(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any(), $"no seeds for {target.Name} in {dir}");
        }
    }

    private static string FoundDirectory(string target) => Path.Combine(RepoPaths.Root, "fuzz", "found", target);
}

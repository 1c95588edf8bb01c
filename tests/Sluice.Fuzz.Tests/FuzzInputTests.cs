using Sluice.Fuzz;

namespace Sluice.Fuzz.Tests;

/// <summary>
/// The fuzz targets' seed corpus (fuzz/corpus/TARGET) and the inputs fuzzing found
/// (fuzz/regressions/TARGET) are accepted or refused with the reader's own error, never an
/// unexpected exception: each finding of a campaign stays a regression test.
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

    [Fact]
    public void EveryTarget_HasSeeds()
    {
        foreach (var target in FuzzTargets.All)
        {
            var dir = Path.Combine(RepoPaths.Root, "fuzz", "corpus", target.Name);
            Assert.True(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any(), $"no seeds for {target.Name} in {dir}");
        }
    }
}

using Sluice.Linux.Files;

namespace Sluice.Linux.Tests;

/// <summary>Small /proc and /sys files read with plain system calls give what .NET's file APIs give.</summary>
public sealed class ProcFilesTests
{
    [Theory]
    [InlineData("/proc/sys/kernel/ostype")]
    [InlineData("/proc/self/status")]
    [InlineData("/proc/self/mountinfo")]
    public void ReadOrNull_ProcFile_MatchesReadAllTextInFirstLineAndLineCount(string path)
    {
        // /proc/self is this process either way; status changes between reads only in counters.
        // mountinfo changes whenever a test running beside this one mounts or unmounts a namespace,
        // so ours is compared with the reads around it once those two agree.
        string before, ours, after;
        var attempts = 0;
        do
        {
            before = File.ReadAllText(path);
            ours = ProcFiles.ReadOrNull(path)!;
            after = File.ReadAllText(path);
        }
        while (before.Split('\n').Length != after.Split('\n').Length && ++attempts < 100);

        Assert.Equal(before.Split('\n')[0], ours.Split('\n')[0]);
        Assert.Equal(before.Split('\n').Length, ours.Split('\n').Length);
    }

    [Fact]
    public void ReadLinesOrNull_ProcFile_GivesLinesWithoutEndsOrEmptyLastLine()
    {
        Assert.Equal(["Linux"], ProcFiles.ReadLinesOrNull("/proc/sys/kernel/ostype")!);
    }

    [Fact]
    public void ReadOrNullAndReadLinesOrNull_MissingFile_ReturnNull()
    {
        Assert.Null(ProcFiles.ReadOrNull("/proc/self/net/no_such_file"));
        Assert.Null(ProcFiles.ReadLinesOrNull("/proc/sys/kernel/no_such_key"));
    }

    [Fact]
    public void ReadOrNull_FileLongerThanOneBuffer_IsReadToItsEnd()
    {
        using var dir = new TempDirectory("procfiles");
        var path = dir.Combine("long");
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i}\n"));
        File.WriteAllText(path, text);

        Assert.Equal(text, ProcFiles.ReadOrNull(path));
    }

    [Fact]
    public void ReadOrNull_FailureOtherThanMissingFile_ThrowsNamingThePath()
    {
        var error = Assert.Throws<LinuxException>(() => ProcFiles.ReadOrNull("/proc/self/status/not-a-directory"));

        Assert.Contains("/proc/self/status/not-a-directory", error.Message, StringComparison.Ordinal);
    }
}

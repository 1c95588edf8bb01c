namespace Sluice.Redirect.Tests;

/// <summary>
/// src/link-static.sh, the linker of the static sluice-redirect: glibc's known static-link notices
/// are dropped, anything else the linker says is kept, and any other warning fails the link.
/// A stand-in compiler on PATH prints what the linker would.
/// </summary>
public sealed class LinkStaticScriptTests : IDisposable
{
    private const string Notice = " in statically linked applications requires at runtime the shared libraries from the glibc version used for linking";

    private readonly TempDirectory _dir = new("sluice-link-static");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Link_KnownGlibcNotices_AreDroppedAndTheLinkSucceeds()
    {
        var result = Link(Pair("PalLoadLibrary", "dlopen") + Pair("SystemNative_GetPwUidR", "getpwuid_r") + Pair("SystemNative_GetHostEntryForName", "getaddrinfo"), exitCode: 0);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Link_AnotherWarning_IsShownWithItsFunctionAndFailsTheLink()
    {
        var result = Link(Pair("PalLoadLibrary", "dlopen") + "/usr/bin/ld.bfd: x.o: in function `f':\nx.c:1: warning: the use of `tmpnam' is dangerous\n", exitCode: 0);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("in function `f'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("`tmpnam' is dangerous", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("dlopen", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_NoticeForAFunctionNotOnTheList_FailsTheLink()
    {
        var result = Link(Pair("SystemNative_Something", "getpwent"), exitCode: 0);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Using 'getpwent'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_CompilerFails_KeepsItsExitCodeAndErrors()
    {
        var result = Link("/usr/bin/ld.bfd: cannot find -lz\n", exitCode: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot find -lz", result.Stderr, StringComparison.Ordinal);
    }

    private static string Pair(string function, string call) =>
        $"/usr/bin/ld.bfd: libSystem.Native.a(pal.c.o): in function `{function}':\n/src/pal.c:1: warning: Using '{call}'{Notice}\n";

    /// <summary>Runs the script with clang and gcc on PATH replaced by a stand-in that prints <paramref name="stderr"/>.</summary>
    private ProcessResult Link(string stderr, int exitCode)
    {
        var bin = Directory.CreateDirectory(_dir.Combine("bin")).FullName;
        File.WriteAllText(_dir.Combine("stderr.txt"), stderr);
        foreach (var compiler in new[] { "clang", "gcc" })
        {
            var path = Path.Combine(bin, compiler);
            File.WriteAllText(path, $"#!/bin/sh\ncat '{_dir.Combine("stderr.txt")}' >&2\nexit {exitCode}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var script = Path.Combine(RepoPaths.Root, "src", "link-static.sh");
        return ProcessRunner.Run("/bin/sh", new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin" }, null, [script, "-o", "out"]);
    }
}

using Sluice.Cni;

namespace Sluice.Cni.Tests;

public sealed class CallingRuntimeTests
{
    [Theory]
    [InlineData("4242 (sluice-redirect) S 917 4242 917 0 -1 4194560 95", 917)]
    [InlineData("4242 (a) b) (c) R 1 4242 1 0", 1)]
    [InlineData("4242 (name with spaces) S 35 0", 35)]
    public void ParentOf_StatText_IsTheFieldAfterTheStateFollowingTheLastParenthesis(string stat, int parent) =>
        Assert.Equal(parent, CallingRuntime.ParentOf(stat));

    [Theory]
    [InlineData("")]
    [InlineData("4242 sluice-redirect S 917")]
    [InlineData("4242 (sluice-redirect) S")]
    [InlineData("4242 (sluice-redirect) S -3 4242")]
    [InlineData("4242 (sluice-redirect) S 0 4242")]
    public void ParentOf_TextWithoutThatShape_IsNull(string stat) => Assert.Null(CallingRuntime.ParentOf(stat));

    [Theory]
    [InlineData("/usr/bin/crio", "crio")]
    [InlineData("/usr/local/bin/crio (deleted)", "crio")]
    [InlineData("/usr/bin/containerd", "containerd")]
    public void ExecutableName_LinkTarget_IsItsFileNameWithoutTheDeletedMark(string target, string name) =>
        Assert.Equal(name, CallingRuntime.ExecutableName(target));

    [Fact]
    public void ParentExecutableName_InThisProcess_IsReadFromProc() =>
        Assert.False(string.IsNullOrEmpty(CallingRuntime.ParentExecutableName()));
}

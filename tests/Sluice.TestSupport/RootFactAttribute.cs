using System.Runtime.CompilerServices;
using Xunit;

namespace Sluice.TestSupport;

/// <summary>A test that needs root (network namespaces, netlink changes, mounts). CI runs as root; elsewhere it is skipped, never silently passed.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: run the suite as root (CI does)";
        }
    }
}

/// <summary>A data-driven test that needs root.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: run the suite as root (CI does)";
        }
    }
}

public static class Privileges
{
    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetEuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}

using System.Security.Cryptography;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport;

/// <summary>
/// A named network namespace that lives for one test. Names start with <see cref="Prefix"/> so a
/// leak check can find any that survive. Everything created inside goes with it.
/// </summary>
public sealed class TestNetns : IDisposable
{
    public const string Prefix = "slt-";

    private TestNetns(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    public static TestNetns Create(string role)
    {
        var name = $"{Prefix}{role}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        return new TestNetns(name, NamedNetNs.Create(name));
    }

    public NetNs Open() => NetNs.Open(Path);

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>), failing the test on a non-zero exit.</summary>
    public string Exec(string file, params string[] arguments) =>
        ProcessRunner.Check("ip", ["netns", "exec", Name, file, .. arguments]);

    /// <summary>Runs a command inside the namespace and returns its result whatever the exit code.</summary>
    public ProcessResult TryExec(string file, params string[] arguments) =>
        ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", Name, file, .. arguments], inheritEnvironment: true);

    public void Dispose()
    {
        if (NamedNetNs.Exists(Name))
        {
            NamedNetNs.Delete(Name);
        }
    }

    /// <summary>Namespaces left by tests (should always be none after a test's Dispose).</summary>
    public static IReadOnlyList<string> Leftovers() => NamedNetNs.List().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
}

[assembly: AssemblyFixture(typeof(Sluice.Linux.Tests.NamespaceLeakCheck))]

namespace Sluice.Linux.Tests;

/// <summary>Fails the run if any test left a namespace behind (every test must clean up, even when it fails).</summary>
public sealed class NamespaceLeakCheck : IDisposable
{
    public void Dispose()
    {
        var leftovers = TestNetns.Leftovers();
        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException($"tests left namespaces behind: {string.Join(", ", leftovers)}");
        }
    }
}

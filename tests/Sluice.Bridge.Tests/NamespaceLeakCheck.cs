[assembly: AssemblyFixture(typeof(Sluice.Bridge.Tests.NamespaceLeakCheck))]

namespace Sluice.Bridge.Tests;

/// <summary>Fails the run if a test left a namespace behind.</summary>
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

namespace Sluice.TestSupport;

/// <summary>
/// An assembly fixture that fails the run if any test of this assembly left one of its namespaces
/// behind (every test must clean up, even when it fails). Namespaces that were there before the
/// run, or that another process made, are not this assembly's business. A test project enables
/// it with <c>[assembly: AssemblyFixture(typeof(NamespaceLeakCheck))]</c>.
/// </summary>
public sealed class NamespaceLeakCheck : IDisposable
{
    public void Dispose()
    {
        var leftovers = TestNetns.Leftovers();
        if (leftovers.Count == 0)
        {
            return;
        }

        // Say which, remove them so the next assembly starts clean, and still fail the run.
        var names = string.Join(", ", leftovers);
        Console.Error.WriteLine($"namespace leak check: tests left namespaces behind: {names}");
        TestNetns.DeleteLeftovers();
        throw new InvalidOperationException($"tests left namespaces behind: {names}");
    }
}

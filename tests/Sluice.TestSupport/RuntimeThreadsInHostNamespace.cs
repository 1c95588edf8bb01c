using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport;

/// <summary>
/// An assembly fixture that starts the runtime's timer and socket threads in the host's namespace
/// before any test enters another (<see cref="RuntimeThreads"/>): started first by a test inside a
/// pod's namespace, they would create thread-pool workers there, and later tests' sockets opened on
/// those workers would reach the wrong network (a full run once had 12 tests fail with
/// "Connection refused (127.0.0.1:…)" to servers they had just started). When the assembly's tests
/// are done it fails the run if any thread that runs other work is still in another namespace
/// than the process: only Sluice's own namespace threads may be, and the runtime's threads that
/// do nothing but collect garbage or compile. A test project enables it with
/// <c>[assembly: AssemblyFixture(typeof(RuntimeThreadsInHostNamespace))]</c>.
/// </summary>
public sealed class RuntimeThreadsInHostNamespace : IDisposable
{
    // Thread names as the kernel keeps them (at most 15 characters).
    private static readonly string[] MayBeElsewhere = ["sluice-netns", ".NET BGC", ".NET Tiered Com"];

    public RuntimeThreadsInHostNamespace() => RuntimeThreads.StartInCurrentNamespace();

    public void Dispose()
    {
        // A thread that ran a short job inside (a child's output copier) may still be on its way
        // out, above all on a loaded machine: only one still there after a few seconds is a stray.
        var home = new FileInfo("/proc/self/ns/net").LinkTarget;
        var patience = System.Diagnostics.Stopwatch.StartNew();
        var strays = Strays(home);
        while (strays.Count > 0 && patience.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(100);
            strays = Strays(home);
        }

        if (strays.Count > 0)
        {
            var text = $"threads left in another network namespace than the process's ({home}): {string.Join("; ", strays)}";
            Console.Error.WriteLine(text);
            throw new InvalidOperationException(text);
        }
    }

    private static List<string> Strays(string? home)
    {
        var strays = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                var ns = new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget;
                if (ns is not null && ns != home && !MayBeElsewhere.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                {
                    strays.Add($"thread {Path.GetFileName(task)} '{name}' in {ns}");
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The thread ended meanwhile.
            }
        }

        return strays;
    }
}

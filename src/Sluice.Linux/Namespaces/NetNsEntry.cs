namespace Sluice.Linux.Namespaces;

/// <summary>How work gets into a <see cref="NetNs"/>.</summary>
public enum NetNsEntry
{
    /// <summary>
    /// On the namespace's own worker thread (or a one-off thread when it is busy); the calling
    /// thread never changes namespace. For processes that keep running and do other work.
    /// </summary>
    Worker,

    /// <summary>
    /// On the calling thread: it enters, runs the step and goes back before returning (the process
    /// ends if it cannot go back). For a short single-threaded process, such as one CNI plugin call,
    /// where starting a thread costs more than the steps themselves (docs/benchmarks.md). The step must finish on the calling thread: work it hands to other threads runs
    /// in their namespace, and a thread it starts stays in this one.
    /// </summary>
    CallingThread,
}

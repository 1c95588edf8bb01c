[assembly: AssemblyFixture(typeof(Sluice.TestSupport.RuntimeThreadsInHostNamespace))]
[assembly: AssemblyFixture(typeof(Sluice.TestSupport.NamespaceLeakCheck))]

// Timing matters here (kill delays drawn from measured durations, bounds on elapsed time, RSS
// between the first and last cycles): the classes run one after another, not side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

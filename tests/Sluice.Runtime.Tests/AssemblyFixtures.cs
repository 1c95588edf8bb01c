[assembly: AssemblyFixture(typeof(Sluice.TestSupport.RuntimeThreadsInHostNamespace))]
[assembly: AssemblyFixture(typeof(Sluice.TestSupport.NamespaceLeakCheck))]

// One containerd at a time: each test runs its own, and they share /run/containerd/s.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

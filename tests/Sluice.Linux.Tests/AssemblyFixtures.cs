[assembly: AssemblyFixture(typeof(Sluice.TestSupport.RuntimeThreadsInHostNamespace))]
[assembly: AssemblyFixture(typeof(Sluice.TestSupport.NamespaceLeakCheck))]

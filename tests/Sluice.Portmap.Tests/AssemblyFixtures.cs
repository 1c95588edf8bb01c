[assembly: AssemblyFixture(typeof(Sluice.TestSupport.NamespaceLeakCheck))]

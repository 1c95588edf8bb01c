using System.Runtime.InteropServices;
using Sluice.Demo;
using Sluice.TestSupport.Cluster;

// make demo: the two-node cluster, step by step; KEEP=1 leaves it running until Ctrl-C.
var keep = Environment.GetEnvironmentVariable("KEEP") == "1";
var before = Snapshot.Take();
var exit = 0;
using (var cluster = new TwoNodeCluster())
{
    var demo = new TwoNodeDemo(cluster);
    try
    {
        demo.Run();
        if (keep)
        {
            demo.Explore();
            using var stop = new ManualResetEventSlim();
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
            stop.Wait();
        }

        demo.Teardown();
    }
    catch (Exception error) when (error is DemoFailure or ClusterException)
    {
        Console.Error.WriteLine($"\n\u001b[31mdemo failed:\u001b[0m {error.Message}");
        exit = 1;
    }
}

if (exit == 0)
{
    using var cluster = new ThreeNodeCluster();
    var demo = new OverlayDemo(cluster);
    try
    {
        demo.Run();
        demo.Teardown();
    }
    catch (Exception error) when (error is DemoFailure or ClusterException)
    {
        Console.Error.WriteLine($"\n\u001b[31mdemo failed:\u001b[0m {error.Message}");
        exit = 1;
    }
}

var after = Snapshot.Take();
if (after != before)
{
    Console.Error.WriteLine($"the machine is not as it was:\nbefore: {before}\nafter:  {after}");
    exit = 1;
}
else
{
    Console.WriteLine(exit == 0 ? "\n\u001b[1mdone\u001b[0m: the machine is as it was (namespaces, links, routes)" : "the machine is as it was");
}

return exit;

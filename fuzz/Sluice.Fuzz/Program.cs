using Sluice.Fuzz;

// Sluice.Fuzz TARGET            run TARGET under afl-fuzz (SharpFuzz's out-of-process loop)
// Sluice.Fuzz TARGET FILE...    run TARGET once per file and say which failed (replaying findings)
// Sluice.Fuzz --list            the targets
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var each in FuzzTargets.All)
    {
        Console.WriteLine($"{each.Name}\t{each.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"Sluice.Fuzz: no target '{args[0]}' (--list shows them)");
    return 2;
}

if (args.Length > 1)
{
    var failed = 0;
    foreach (var file in args[1..])
    {
        if (FuzzRun.Once(target, File.ReadAllBytes(file)) is { } finding)
        {
            Console.WriteLine($"{file}: {finding}");
            failed++;
        }
    }

    return failed == 0 ? 0 : 1;
}

SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    FuzzRun.OrCrash(target, memory.ToArray());
});
return 0;

namespace Sluice.TestSupport;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string BinDirectory => Path.Combine(Root, "artifacts", "bin");

    /// <summary>A published executable (make build puts them in artifacts/bin).</summary>
    public static string Binary(string name)
    {
        var path = Path.Combine(BinDirectory, name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run 'make build' before the process tests", path);
    }

    /// <summary>The symbols of a published executable (make build leaves artifacts/publish/NAME.dbg beside the NativeAOT output).</summary>
    public static string PublishedSymbols(string executableName) => Path.Combine(Root, "artifacts", "publish", executableName + ".dbg");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Sluice.sln above {AppContext.BaseDirectory}");
    }
}

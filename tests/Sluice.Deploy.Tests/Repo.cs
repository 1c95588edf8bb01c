namespace Sluice.Deploy.Tests;

/// <summary>The repository the tests run from (the directory holding Sluice.sln).</summary>
internal static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Sluice.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => LazyRoot.Value;
}

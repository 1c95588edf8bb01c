namespace Sluice.TestSupport;

/// <summary>
/// Test tools written in Go against Debian's packaged sources (libcni, sprig), built offline
/// into artifacts/tools on first use (make test-tools builds them ahead).
/// </summary>
public static class GoTools
{
    private static readonly Lock BuildLock = new();

    public static string Path(string tool)
    {
        var output = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "tools", tool);
        lock (BuildLock)
        {
            if (!File.Exists(output))
            {
                Build(tool, output);
            }
        }

        return output;
    }

    private static void Build(string tool, string output)
    {
        var gopath = Directory.CreateTempSubdirectory("sluice-gopath-").FullName;
        try
        {
            var env = new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPROXY"] = "off",
                ["GOPATH"] = $"{gopath}:/usr/share/gocode",
                ["GOCACHE"] = System.IO.Path.Combine(RepoPaths.Root, "artifacts", "go-cache"),
                ["HOME"] = gopath,
            };
            var result = ProcessRunner.Run("go", env, null, ["build", "-o", output, $"./tests/tools/{tool}"], TimeSpan.FromMinutes(5), workingDirectory: RepoPaths.Root);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"building {tool} failed (is golang-go installed? make test installs it): {result}");
            }
        }
        finally
        {
            Directory.Delete(gopath, recursive: true);
        }
    }
}

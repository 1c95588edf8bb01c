namespace Sluice.Kube.Tests;

/// <summary>
/// A small exec credential plugin for a test: a /bin/sh script in the test's directory that counts
/// its runs, keeps its arguments, environment and KUBERNETES_EXEC_INFO, and prints what it is told.
/// </summary>
internal sealed class PluginScript
{
    private readonly string _directory;

    /// <param name="body">Shell commands run after the bookkeeping; they print the ExecCredential.</param>
    public PluginScript(string directory, string name, string body)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, name);
        File.WriteAllText(Path, $$"""
            #!/bin/sh
            d='{{directory}}'
            echo run >> "$d/runs"
            printf '%s\n' "$@" > "$d/args"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$d/exec-info.json"
            env > "$d/env"
            {{body}}

            """);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public int Runs => File.Exists(Combine("runs")) ? File.ReadAllLines(Combine("runs")).Length : 0;

    public IReadOnlyList<string> Arguments => File.ReadAllLines(Combine("args"));

    public string ExecInfo => File.ReadAllText(Combine("exec-info.json"));

    public string? Variable(string name) =>
        File.ReadAllLines(Combine("env")).Where(line => line.StartsWith(name + "=", StringComparison.Ordinal)).Select(line => line[(name.Length + 1)..]).FirstOrDefault();

    /// <summary>Shell that prints an ExecCredential with a token (and optional expiry) in <paramref name="apiVersion"/>.</summary>
    public static string PrintToken(string token, string apiVersion = "client.authentication.k8s.io/v1beta1", string? expires = null) =>
        "printf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"" + apiVersion + "\",\"spec\":{},\"status\":{\"token\":\"" + token + "\"" +
        (expires is null ? "" : ",\"expirationTimestamp\":\"" + expires + "\"") + "}}'";

    private string Combine(string name) => System.IO.Path.Combine(_directory, name);
}

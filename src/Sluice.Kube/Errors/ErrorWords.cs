using System.Text.Json;

namespace Sluice.Kube.Errors;

/// <summary>
/// Exceptions from the runtime said in Sluice's own words. NativeAOT with
/// UseSystemResourceKeys drops the runtime's message texts (an IOException says
/// "IO_FileNotFound_FileName, /path"), so messages that reach an operator are composed here
/// from the exception's type and data.
/// </summary>
internal static class ErrorWords
{
    /// <summary>Why a file could not be read: "no such file", "permission denied", "is a directory", or the errno.</summary>
    public static string FileProblem(Exception error) => error switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        Config.KubeFileException refused => refused.Message,
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        IOException io when (io.HResult & 0xffff) is var errno and > 0 and < 4096 => $"I/O error (errno {errno})",
        _ => "I/O error",
    };

    /// <summary>Where JSON went wrong: "invalid JSON at line 3, byte 17 (at $.metadata.labels)".</summary>
    public static string JsonProblem(JsonException error) =>
        "invalid JSON" +
        (error.LineNumber is { } line ? $" at line {line + 1}, byte {error.BytePositionInLine + 1}" : "") +
        (string.IsNullOrEmpty(error.Path) ? "" : $" (at {error.Path})");
}

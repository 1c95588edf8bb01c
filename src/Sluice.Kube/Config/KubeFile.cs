using System.Globalization;
using Sluice.Linux.Files;

namespace Sluice.Kube.Config;

/// <summary>
/// Reads a file a kubeconfig names (the kubeconfig itself, a token, a CA, a client certificate or
/// key) whole: only a regular file (a FIFO would block the reader, <c>/dev/zero</c> never ends)
/// of at most <see cref="MaxBytes"/>.
/// </summary>
internal static class KubeFile
{
    /// <summary>Far above any real kubeconfig or credential (a CA bundle of every public root is about 200 KiB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <exception cref="IOException">It cannot be read, is not a regular file (<see cref="KubeFileException"/>) or is too large.</exception>
    public static byte[] ReadBytes(string fullPath)
    {
        if (RegularFile.KindIfNotRegular(fullPath) is { } kind)
        {
            throw new KubeFileException($"it is {kind}, not a regular file");
        }

        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        using var bytes = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (bytes.Length + read > MaxBytes)
            {
                throw new KubeFileException(string.Create(CultureInfo.InvariantCulture, $"it is larger than {MaxBytes / (1024 * 1024)} MiB"));
            }

            bytes.Write(buffer, 0, read);
        }

        return bytes.ToArray();
    }

    /// <inheritdoc cref="ReadBytes"/>
    public static string ReadText(string fullPath)
    {
        var bytes = ReadBytes(fullPath);
        var bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        return System.Text.Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
    }
}

/// <summary>A file a kubeconfig names that is refused for what it is, not for an I/O error; the message says why.</summary>
public sealed class KubeFileException(string message) : IOException(message);

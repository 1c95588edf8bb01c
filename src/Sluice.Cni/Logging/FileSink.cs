namespace Sluice.Cni.Logging;

/// <summary>
/// Appends records to a log file. The file is opened on the first record; when it cannot be
/// opened the problem is reported once through <paramref name="fallback"/> and records are dropped.
/// </summary>
public sealed class FileSink(string path, ILogSink fallback) : ILogSink
{
    private StreamWriter? _writer;
    private bool _failed;

    public string Path => path;

    public void Write(in LogRecord record)
    {
        if (_failed)
        {
            return;
        }

        try
        {
            if (_writer is null)
            {
                var directory = System.IO.Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                // Append mode makes each line one write at the end: concurrent plugins do not interleave.
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                _writer = new StreamWriter(stream) { AutoFlush = true };
            }

            _writer.WriteLine(record.Format());
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _failed = true;
            fallback.Write(record with { Level = LogLevel.Warn, Message = $"cannot write log file {path}: {error.Message}" });
        }
    }

    public void Dispose() => _writer?.Dispose();
}

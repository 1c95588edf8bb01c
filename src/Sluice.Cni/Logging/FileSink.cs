using System.Text;
using Sluice.Linux;
using Sluice.Linux.Files;

namespace Sluice.Cni.Logging;

/// <summary>
/// Appends records to a log file shared by every plugin process of the node: each line is one
/// O_APPEND write, so concurrent calls never overwrite each other. The file must be a regular file
/// in an existing directory, not reached through a symbolic link (<see cref="AppendOnlyFile"/>). It is opened on the
/// first record; when it cannot be, the problem is reported once through <paramref name="fallback"/>
/// and records are dropped.
/// </summary>
public sealed class FileSink(string path, ILogSink fallback) : ILogSink
{
    private AppendOnlyFile? _file;
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
            _file ??= AppendOnlyFile.Open(path);

            _file.Write(Encoding.UTF8.GetBytes(record.Format() + "\n"));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or LinuxException or ArgumentException)
        {
            _failed = true;
            fallback.Write(record with { Level = LogLevel.Warn, Message = $"cannot write log file {path}: {error.Message}" });
        }
    }

    public void Dispose() => _file?.Dispose();
}

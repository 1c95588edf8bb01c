namespace Sluice.Cni.Logging;

/// <summary>Writes records as lines to a writer (the plugin's stderr).</summary>
public sealed class TextWriterSink(TextWriter writer) : ILogSink
{
    public void Write(in LogRecord record)
    {
        try
        {
            writer.WriteLine(record.Format());
            writer.Flush();
        }
        catch (IOException)
        {
            // The runtime closed our stderr; nothing else to tell.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
    }
}

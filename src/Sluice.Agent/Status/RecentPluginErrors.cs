using Sluice.Cni.Logging;

namespace Sluice.Agent.Status;

/// <summary>The last <see cref="Capacity"/> warnings, errors and failed calls the plugins reported over the log socket, newest last.</summary>
public sealed class RecentPluginErrors(TimeProvider time)
{
    public const int Capacity = 10;

    private readonly Lock _lock = new();
    private readonly Queue<PluginError> _errors = new();

    public RecentPluginErrors()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Keeps <paramref name="record"/> when it is a warning, an error or a call that did not end "ok".</summary>
    public void Offer(in PluginRecord record)
    {
        var failed = record.Kind == PluginRecordKind.Log ? record.Level >= LogLevel.Warn : record.Message != "ok";
        if (!failed)
        {
            return;
        }

        var error = new PluginError
        {
            Time = time.GetUtcNow(),
            Plugin = LogText.Escape(record.Component),
            Command = record.Command is null ? null : LogText.Escape(record.Command),
            Pod = record.Pod is null ? null : LogText.Escape(record.Pod),
            Message = LogText.Escape(record.Message),
        };
        lock (_lock)
        {
            _errors.Enqueue(error);
            while (_errors.Count > Capacity)
            {
                _errors.Dequeue();
            }
        }
    }

    public IReadOnlyList<PluginError> Snapshot()
    {
        lock (_lock)
        {
            return _errors.ToList();
        }
    }
}

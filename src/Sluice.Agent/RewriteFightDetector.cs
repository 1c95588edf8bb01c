namespace Sluice.Agent;

/// <summary>
/// Notices when our entry is removed over and over (two installers fighting over one file):
/// <see cref="Record"/> returns the count within the window once it reaches the threshold, at
/// most once per window, so the warning is loud but not a flood.
/// </summary>
internal sealed class RewriteFightDetector(TimeSpan window, int threshold)
{
    private readonly Queue<DateTime> _times = new();
    private DateTime _lastWarning = DateTime.MinValue;

    public int? Record(DateTime now)
    {
        _times.Enqueue(now);
        while (_times.Count > 0 && now - _times.Peek() > window)
        {
            _times.Dequeue();
        }

        if (_times.Count < threshold || now - _lastWarning < window)
        {
            return null;
        }

        _lastWarning = now;
        return _times.Count;
    }
}

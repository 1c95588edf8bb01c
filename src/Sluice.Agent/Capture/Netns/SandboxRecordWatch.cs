using Sluice.Linux.Files;

namespace Sluice.Agent.Capture.Netns;

/// <summary>
/// Tells the reconciler the moment sluice-redirect writes or removes a sandbox record (inotify on
/// the records directory, on a thread of its own), so that a pod it knows only as pending (its
/// addresses not reported yet: kubelet is slow, or the API server unreachable) is found through
/// its new record and its rules watched at once, not at the next full check. A directory that does
/// not exist yet is watched from when it does. If inotify fails (no instance or watch left), the
/// watch ends and says why: the full check still finds such pods.
/// </summary>
internal sealed class SandboxRecordWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly string _directory;
    private readonly Action _changed;
    private readonly Action<string> _failed;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <param name="changed">Called on the watch's thread after records changed.</param>
    /// <param name="failed">Called on the watch's thread, once, with why the watch ended.</param>
    public SandboxRecordWatch(string directory, Action changed, Action<string> failed)
    {
        _directory = directory;
        _changed = changed;
        _failed = failed;
        _thread = new Thread(Loop) { IsBackground = true, Name = "sandbox record watch" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private void Loop()
    {
        try
        {
            Watch();
        }
        catch (Sluice.Linux.LinuxException error)
        {
            _failed(error.Message);
        }
    }

    private void Watch()
    {
        using var watcher = new DirectoryWatcher();
        var watching = false;
        while (!_stopping)
        {
            if (!watching && (watching = watcher.Watch(_directory)))
            {
                // Records written before the watch began are news too.
                _changed();
            }

            if (watcher.Wait(Tick))
            {
                _changed();
                if (!Directory.Exists(_directory))
                {
                    watcher.Forget(_directory);
                    watching = false;
                }
            }
        }
    }
}
